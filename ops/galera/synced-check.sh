#!/bin/sh
# HAProxy's health check of a Galera node: exit 0 only when the node is Synced (wsrep_local_state 4)
# and ready (in the primary component). A donor, a joiner or a node cut off from the majority answers
# SQL but must not take writes. HAProxy calls it with <proxy addr> <proxy port> <server addr> <server port>.
# GALERA_CHECK_USER (default root; in production a user with no privileges: SHOW STATUS needs none).
state=$(mariadb --no-defaults -h"$3" -P"$4" -u"${GALERA_CHECK_USER:-root}" --connect-timeout=2 -N -B \
  -e "SELECT GROUP_CONCAT(VARIABLE_VALUE ORDER BY VARIABLE_NAME) FROM information_schema.GLOBAL_STATUS
      WHERE VARIABLE_NAME IN ('wsrep_local_state', 'wsrep_ready')" 2>/dev/null)
[ "$state" = "4,ON" ]
