import { deleteInBatches } from './delete-in-batches';

describe('deleteInBatches', () => {
  it('asks again while a batch came back full, and adds up what went', async () => {
    const answers = [3, 3, 1];
    const asked: number[] = [];
    const total = await deleteInBatches(async (batch) => {
      asked.push(batch);
      return answers.shift()!;
    }, 3);
    expect({ total, asked }).toEqual({ total: 7, asked: [3, 3, 3] });
  });

  it('stops after one batch when nothing is there', async () => {
    const deleteBatch = jest.fn(async () => 0);
    expect(await deleteInBatches(deleteBatch, 100)).toBe(0);
    expect(deleteBatch).toHaveBeenCalledTimes(1);
  });
});
