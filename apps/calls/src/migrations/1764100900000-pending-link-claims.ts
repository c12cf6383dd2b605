import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Link uses claimed for a call that does not exist yet (decision 32): a row is written before the
 * claim and deleted with the insert of the call, or once the use is given back, so a join that
 * crashed in between leaves a row the sweep gives back instead of a lost use.
 */
export class PendingLinkClaims1764100900000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE calls.pending_link_claims (
        call_id    char(26)    PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now(),
        -- Set when the sweep took the claim over to give it back: the join may no longer record the call.
        swept_at   timestamptz
      )`);
    await db.query(`CREATE INDEX pending_link_claims_created_idx ON calls.pending_link_claims (created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE calls.pending_link_claims`);
  }
}
