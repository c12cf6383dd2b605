import { DISCREPANCY_KINDS, Discrepancy } from './discrepancy';
import type { MoneyAuditReport } from './audit-money';

/** The report as an operator reads it: what was checked, then the discrepancies by kind. */
export function formatMoneyAuditReport(report: MoneyAuditReport, scope: { since?: Date; settleGraceSeconds: number }): string {
  const since = scope.since ? `since ${scope.since.toISOString()}` : 'of all time';
  const lines = [`Money audit of the calls and PaymentIntents ${since} (settle grace ${scope.settleGraceSeconds} s)`];
  const checked = `Checked ${report.calls_checked} calls and ${report.payment_intents_checked} PaymentIntents`;
  if (report.discrepancies.length === 0) return [...lines, `${checked}: no discrepancies.`].join('\n');
  lines.push(`${checked}: ${report.discrepancies.length} discrepanc${report.discrepancies.length === 1 ? 'y' : 'ies'}.`);
  const kinds = [...new Set(report.discrepancies.map((discrepancy) => discrepancy.kind))];
  for (const kind of kinds) {
    const found = report.discrepancies.filter((discrepancy) => discrepancy.kind === kind);
    const meaning = (DISCREPANCY_KINDS as Record<string, string>)[kind];
    lines.push('', `${kind} (${found.length})${meaning ? `: ${meaning}` : ''}`, ...found.map(formatDiscrepancy));
  }
  return lines.join('\n');
}

function formatDiscrepancy(discrepancy: Discrepancy): string {
  const where = [discrepancy.call_id && `call ${discrepancy.call_id}`, discrepancy.payment_intent_id].filter(Boolean).join(' ');
  const values = discrepancy.expected !== undefined && discrepancy.actual !== undefined ? ` (expected ${discrepancy.expected}, actual ${discrepancy.actual})` : '';
  return `  ${where ? `${where}: ` : ''}${discrepancy.message}${values}`;
}
