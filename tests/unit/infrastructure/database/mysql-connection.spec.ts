import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mysqlConnectionOptions, mysqlUrlProblem } from '../../../../src/infrastructure/database/mysql-connection.js';

describe('mysql connection options from MYSQL_URL', () => {
  it('when the password has percent-encoded @ : / % #, then mysql2 gets it decoded, with the user and database', () => {
    const password = 'p@ss:w/rd%#!';
    const options = mysqlConnectionOptions(`mysql://on%40sale:${encodeURIComponent(password)}@db.example:3307/onsale_x`);
    expect(options).to.include({ host: 'db.example', port: 3307, user: 'on@sale', password, database: 'onsale_x' });
    expect(options.ssl).to.equal(undefined);
  });

  it('when ssl-mode is REQUIRED, then the connection is encrypted without checking the server', () => {
    expect(mysqlConnectionOptions('mysql://u@h/d?ssl-mode=REQUIRED').ssl).to.deep.equal({
      rejectUnauthorized: false,
      verifyIdentity: false,
    });
  });

  it('when ssl-mode is VERIFY_IDENTITY with ssl-ca, then the CA is read and the certificate and host name are checked', () => {
    const ca = path.join(mkdtempSync(path.join(tmpdir(), 'onsale-ca-')), 'ca.pem');
    writeFileSync(ca, 'CA');
    const ssl = mysqlConnectionOptions(`mysql://u@h/d?ssl-mode=verify_identity&ssl-ca=${encodeURIComponent(ca)}`).ssl as Record<
      string,
      unknown
    >;
    expect(ssl).to.deep.equal({ ca: Buffer.from('CA'), rejectUnauthorized: true, verifyIdentity: true });
    // a CA without a mode verifies the certificate, as MySQL's own clients do
    expect(mysqlConnectionOptions(`mysql://u@h/d?ssl-ca=${ca}`).ssl).to.deep.include({ rejectUnauthorized: true, verifyIdentity: false });
  });

  it('when a parameter is unknown, a mode misspelt or a file missing, then the problem is named', () => {
    expect(mysqlUrlProblem('mysql://u@h/d?sslmode=REQUIRED')).to.match(/unknown parameter "sslmode"/);
    expect(mysqlUrlProblem('mysql://u@h/d?ssl-mode=PREFERRED')).to.match(
      /ssl-mode must be one of DISABLED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY/,
    );
    expect(mysqlUrlProblem('mysql://u@h/d?ssl-ca=/nowhere/ca.pem')).to.equal('ssl-ca: cannot read /nowhere/ca.pem (ENOENT)');
    expect(mysqlUrlProblem('mysql://u:secret@h/d')).to.equal(undefined);
  });
});
