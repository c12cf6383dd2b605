import { createEventTables, dropEventTables } from '@vidivo/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** One row per call that took a use of a link, so giving a use back happens at most once. */
export class CreateLinkClaims1764100100000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE links.link_claims (
        call_id     char(26)    PRIMARY KEY,
        link_id     char(26)    NOT NULL REFERENCES links.call_links (id),
        claimed_at  timestamptz NOT NULL DEFAULT now(),
        released_at timestamptz
      )`);
    await createEventTables(db, 'links');
  }

  async down(db: QueryRunner): Promise<void> {
    await dropEventTables(db, 'links');
    await db.query(`DROP TABLE links.link_claims`);
  }
}
