/** DI tokens: every adapter is registered against one of these in the composition root. */
export const TOKENS = {
  Config: Symbol('Config'),
  Logger: Symbol('Logger'),
  Clock: Symbol('Clock'),
  Ids: Symbol('IdGenerator'),
  Knex: Symbol('Knex'),
  Redis: Symbol('Redis'),
  EventStore: Symbol('EventStore'),
  AppendNotifier: Symbol('AppendNotifier'),
  ProjectionRegistry: Symbol('ProjectionRegistry'),
  ProjectionWaiter: Symbol('ProjectionWaiter'),
  Authenticator: Symbol('Authenticator'),
  ReadinessChecks: Symbol('ReadinessChecks'),
  Lifecycle: Symbol('Lifecycle'),
} as const;
