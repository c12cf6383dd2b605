/**
 * Runs `deleteBatch(batch)` until it deletes fewer than `batch` rows; answers how many went in all.
 * Small batches keep each DELETE short; a backlog is worked off batch by batch.
 */
export async function deleteInBatches(deleteBatch: (batch: number) => Promise<number>, batch: number): Promise<number> {
  let total = 0;
  let deleted: number;
  do {
    deleted = await deleteBatch(batch);
    total += deleted;
  } while (deleted === batch);
  return total;
}
