import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { CallStatus } from '@vidivo/contracts';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { CALLS_SCHEMA, CALLS_TABLES } from '../calls.schema';
import { CallEntity } from './call.entity';

export interface LockOptions {
  /** Pass over a row another transaction holds (the sweeps of several replicas) instead of waiting for it. */
  skipLocked?: boolean;
}

/** An active call whose `calls.call.ending` warning this replica claimed. */
export interface WarnedCall {
  id: string;
  startedAt: Date;
}

export interface HistoryPage {
  participantId: string;
  status?: CallStatus;
  offset: number;
  limit: number;
}

/** TypeORM answers an UPDATE … RETURNING with [rows, affected count]. */
type Updated<Row> = [Row[], number];

/**
 * The calls table, and every statement of the app on it. Whole rows go through the entity's
 * repository and query builder; what those cannot say is typed SQL on {@link CALLS_TABLES}:
 * conditions on the database's clock (`now()`, the same for every replica), columns filled only
 * once (`COALESCE`), an `UPDATE … RETURNING` of a column the entity does not map, and counts.
 * A method that takes a `transaction` runs inside the caller's {@link CallsRepository.transaction}.
 */
@Injectable()
export class CallsRepository {
  constructor(
    @InjectRepository(CallEntity, CALLS_SCHEMA) private readonly calls: Repository<CallEntity>,
    @InjectDataSource(CALLS_SCHEMA) private readonly dataSource: DataSource,
  ) {}

  /** One transaction around `work`: a state change and the outbox event announcing it commit together. */
  transaction<T>(work: (transaction: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  byId(id: string): Promise<CallEntity | null> {
    return this.calls.findOneBy({ id });
  }

  /** A call known to exist (just created or joined). */
  byIdOrFail(id: string): Promise<CallEntity> {
    return this.calls.findOneByOrFail({ id });
  }

  /** Records a new call unless one with its id exists; true when this insert made it (concurrent first joins of a booking create one; an authenticated first hold names the call it backs, decision 25). */
  async insertIfAbsent(transaction: EntityManager, call: CallEntity): Promise<boolean> {
    const inserted = await transaction.createQueryBuilder().insert().into(CallEntity).values(call).orIgnore().returning(['id']).execute();
    return (inserted.raw as { id: string }[]).length > 0;
  }

  /** Removes a call only while it is still waiting (one the no-show sweep already ended stays); true when it did. */
  async deleteWaiting(transaction: EntityManager, id: string): Promise<boolean> {
    const deleted = await transaction.delete(CallEntity, { id, status: 'waiting' });
    return (deleted.affected ?? 0) > 0;
  }

  /** The call under a row lock held to the end of `transaction`; null when there is none or, with `skipLocked`, another holds it. */
  lockForChange(transaction: EntityManager, id: string, { skipLocked }: LockOptions = {}): Promise<CallEntity | null> {
    const locking = transaction.getRepository(CallEntity).createQueryBuilder('call').setLock('pessimistic_write');
    if (skipLocked) locking.setOnLocked('skip_locked');
    return locking.where('call.id = :id', { id }).getOne();
  }

  /** Writes `changes` to the call, in one UPDATE (no re-read of the row the caller has locked, as save() would). */
  async update(transaction: EntityManager, id: string, changes: Partial<CallEntity>): Promise<void> {
    await transaction.update(CallEntity, { id }, changes);
  }

  /** Calls a host has not picked up yet, oldest first. */
  waitingForHost(hostId: string, limit: number): Promise<CallEntity[]> {
    return this.calls.find({ where: { hostId, status: In(['waiting', 'ringing']) }, order: { createdAt: 'ASC' }, take: limit });
  }

  /** One page of the calls someone hosted or joined, newest first, and how many there are in all. */
  history({ participantId, status, offset, limit }: HistoryPage): Promise<[CallEntity[], number]> {
    const builder = this.calls
      .createQueryBuilder('call')
      .where('(call.host_id = :me OR call.guest_id = :me)', { me: participantId })
      .orderBy('call.created_at', 'DESC')
      .addOrderBy('call.id', 'DESC')
      .skip(offset)
      .take(limit);
    if (status) builder.andWhere('call.status = :status', { status });
    return builder.getManyAndCount();
  }

  /** The host is in: set once, and the call is not expected to end before the booked end (decision 18). */
  async markHostJoined(id: string, expectedUntil: Date): Promise<void> {
    await this.dataSource.query(`UPDATE ${CALLS_TABLES.calls} SET host_joined_at = COALESCE(host_joined_at, now()), expected_at = GREATEST(expected_at, $2) WHERE id = $1`, [
      id,
      expectedUntil,
    ]);
  }

  /** The guest is in: set once. */
  async markGuestJoined(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE ${CALLS_TABLES.calls} SET guest_joined_at = COALESCE(guest_joined_at, now()) WHERE id = $1`, [id]);
  }

  /** Calls still waiting for their host `seconds` after they expected them, longest overdue first. */
  async overdueForHost(seconds: number, limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM ${CALLS_TABLES.calls} WHERE status IN ('waiting', 'ringing') AND expected_at <= now() - $1 * interval '1 second' ORDER BY expected_at LIMIT $2`,
      [seconds, limit],
    );
    return rows.map((row) => row.id);
  }

  /** Active calls started at least `seconds` ago, oldest first. */
  async activeLongerThan(seconds: number, limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM ${CALLS_TABLES.calls} WHERE status = 'active' AND started_at <= now() - $1 * interval '1 second' ORDER BY started_at LIMIT $2`,
      [seconds, limit],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Claims the ending warning of every active call started at least `seconds` ago that has not had
   * it: one UPDATE, so of several replicas exactly one warns each call.
   */
  async claimEndingWarnings(transaction: EntityManager, seconds: number): Promise<WarnedCall[]> {
    const [warned] = await transaction.query<Updated<{ id: string; started_at: Date }>>(
      `UPDATE ${CALLS_TABLES.calls} SET ending_warned_at = now()
        WHERE status = 'active' AND ending_warned_at IS NULL AND started_at <= now() - $1 * interval '1 second'
        RETURNING id, started_at`,
      [seconds],
    );
    return warned.map((row) => ({ id: row.id, startedAt: row.started_at }));
  }

  /** How many calls are in each state (states with none are absent). */
  countByState(): Promise<Array<{ status: string; count: number }>> {
    return this.dataSource.query<Array<{ status: string; count: number }>>(`SELECT status, count(*)::int AS count FROM ${CALLS_TABLES.calls} GROUP BY status`);
  }
}
