import { parseVmRssKb, readVmRssKb } from '../usage/process-memory';
import { parseUnlabelled } from './server-reading';

describe('parseVmRssKb', () => {
  it('reads VmRSS and not the lines around it', () => {
    const status = ['Name:\tnode', 'VmHWM:\t  250000 kB', 'VmRSS:\t  204812 kB', 'RssAnon:\t  150000 kB'].join('\n');
    expect(parseVmRssKb(status)).toBe(204_812);
  });

  it('refuses a status without it (a kernel thread)', () => {
    expect(() => parseVmRssKb('Name:\tkthreadd\nState:\tS (sleeping)')).toThrow(/VmRSS/);
  });

  it('reads this very process', () => {
    expect(readVmRssKb(process.pid)).toBeGreaterThan(1_000);
  });
});

describe('parseUnlabelled', () => {
  const scrape = [
    '# TYPE nodejs_heap_size_used_bytes gauge',
    'nodejs_heap_size_used_bytes 52428800',
    'nodejs_heap_size_used_bytes_other 1',
    'nodejs_heap_space_size_used_bytes{space="old"} 7',
  ].join('\n');

  it('reads the series of that exact name', () => {
    expect(parseUnlabelled(scrape, 'nodejs_heap_size_used_bytes')).toBe(52_428_800);
  });

  it('gives NaN for a series that is not there or has labels', () => {
    expect(parseUnlabelled(scrape, 'nodejs_heap_space_size_used_bytes')).toBeNaN();
    expect(parseUnlabelled('', 'nodejs_heap_size_used_bytes')).toBeNaN();
  });
});
