/**
 * Benchmark of the format gate (not a test): median time to validate a ~250 KB UBL with an embedded
 * PDF and a ~200-record CODA file. Run: npm run bench:formats
 */
import { performance } from 'node:perf_hooks';
import { validateCoda } from '../../src/formats/coda/validate-coda.js';
import { validateUbl } from '../../src/formats/ubl/validate-ubl.js';
import { planCodaStatements } from '../../src/sandbox/data/coda-plan.js';
import { renderCoda } from '../../src/sandbox/data/coda-render.js';
import { generateCompany } from '../../src/sandbox/data/company.js';
import { planInvoice } from '../../src/sandbox/data/invoice-plan.js';
import { makePdf } from '../../src/sandbox/data/pdf.js';
import { Random } from '../../src/sandbox/data/random.js';
import { renderUbl } from '../../src/sandbox/data/ubl-render.js';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function measure(label: string, bytes: Buffer, run: (b: Buffer) => { valid: boolean }, iterations = 300): { label: string; bytes: number; medianMs: number; p95Ms: number } {
  for (let i = 0; i < 30; i++) if (!run(bytes).valid) throw new Error(`${label}: the benchmark input is not valid`);
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    run(bytes);
    times.push(performance.now() - start);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { label, bytes: bytes.length, medianMs: Number(median(times).toFixed(3)), p95Ms: Number(sorted[Math.floor(sorted.length * 0.95)]!.toFixed(3)) };
}

const rnd = new Random('bench-formats');
const supplier = generateCompany(rnd, 1);
const customer = generateCompany(rnd, 2);
const plan = planInvoice(rnd, { kind: 'Invoice', number: 'BENCH-1', issueDate: '2026-11-02', dueDate: '2026-12-02', supplier, customer });
const pdf = makePdf(['Benchmark invoice'], { padToBytes: 180_000, rnd });
const ubl = renderUbl(plan, { pdf, pdfFileName: 'BENCH-1.pdf' });

let coda: Buffer = Buffer.alloc(0);
for (let days = 10; days < 400; days += 5) {
  const statements = planCodaStatements(rnd, supplier, { fromDate: '2026-10-01', toDate: `2026-10-${String(Math.min(31, days)).padStart(2, '0')}`, openingBalanceCents: 1_000_000n, counterparties: [customer] });
  coda = renderCoda(statements);
  if (coda.toString('latin1').split('\r\n').filter(Boolean).length >= 200) break;
}
const records = coda.toString('latin1').split('\r\n').filter(Boolean).length;

const results = [measure('UBL with embedded PDF', ubl, validateUbl), measure(`CODA (${records} records)`, coda, validateCoda)];
for (const r of results) console.log(`${r.label.padEnd(28)} ${String(r.bytes).padStart(8)} bytes   median ${r.medianMs} ms   p95 ${r.p95Ms} ms`);
console.log(JSON.stringify({ node: process.version, results }));
