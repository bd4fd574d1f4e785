// The benchmark's report: the RESULTS.md text (a header on the run, then per case its timings,
// ratios, target verdicts and checks, then the memory children's sections), which is also the
// console table, and the raw runs/<date>.json payload with every repetition's timing.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { EMD_MAX_ITER, MEMORY, SINKHORN_MEMORY } from './config.mjs';
import { fmtMs, fmtRatio } from './format.mjs';

// The RESULTS.md text of a run: { stamp, command, reps, runSeconds, machine, versions, notes,
// backends, python (whether the Python references ran), peers, simd (the roofline kernels'
// instruction sets), cases (those selected), results (the measured cases), memory, sinkhornMemory
// (null when not run), quick, only, writes, runFile }.
export function reportMarkdown({
  stamp,
  command,
  reps,
  runSeconds,
  machine: m,
  versions,
  notes,
  backends,
  python,
  peers,
  simd,
  cases,
  results,
  memory,
  sinkhornMemory,
  quick,
  only,
  writes,
  runFile,
}) {
  const versionLine = [
    `Node ${versions.node}`,
    `monge ${versions.monge}`,
    versions.pot
      ? `POT ${versions.pot}, scipy ${versions.scipy}, NumPy ${versions.numpy}, Python ${versions.python}`
      : 'POT and scipy not run',
    ...Object.keys(peers).map((name) => `${name} ${versions[name]} (npm)`),
  ].join(', ');
  // Targets with the cases they apply to; targets applying to the same cases share a line, and
  // labels differing only in n are merged ("… n = 1,000, 2,000").
  const targetCases = new Map();
  for (const c of cases.filter((c) => c.targets)) {
    for (const [key, limit] of Object.entries(c.targets)) {
      const [a, b] = key.split(' / ');
      const text =
        typeof limit === 'object'
          ? `${key.replace(/^wasm /, 'WASM ')} ≤ ${limit.max} ${limit.unit}`
          : `${a === 'wasm' ? 'WASM' : a} ≤ ${limit}x ${b}`;
      targetCases.set(text, [...(targetCases.get(text) ?? []), c.label]);
    }
  }
  const targetLines = new Map();
  for (const [text, labels] of targetCases) {
    const byStem = new Map();
    for (const label of labels) {
      const [stem, n] = label.split(' n = ');
      byStem.set(stem, [...(byStem.get(stem) ?? []), n]);
    }
    const where = [...byStem].map(([stem, ns]) => `${stem} n = ${ns.join(', ')}`).join('; ');
    targetLines.set(where, [...(targetLines.get(where) ?? []), text]);
  }
  if (memory) {
    targetLines.set(`emd n = ${MEMORY.n.toLocaleString('en-US')}, native, peak memory (own section at the end)`, [
      `peak RSS ≤ ${MEMORY.limitGiB} GiB`,
    ]);
  }
  if (sinkhornMemory) {
    targetLines.set(
      `sinkhorn point clouds n = ${SINKHORN_MEMORY.n.toLocaleString('en-US')}, native, peak memory ` +
        '(own section at the end)',
      [`peak RSS above the peak before the solve ≤ 64 MB (read as ${SINKHORN_MEMORY.limitMiB} MiB)`],
    );
  }
  const usedPeers = Object.keys(peers).filter((name) => results.some((r) => r.peers.includes(name)));
  const hasSinkhorn = results.some((r) => r.params.fn === 'sinkhorn');
  const cappedReps = results.flatMap((r) =>
    Object.entries(r.results)
      .filter(([, x]) => x.times_ms.length && x.times_ms.length < reps)
      .map(([name, x]) => `${name} at ${r.label} (${x.times_ms.length})`),
  );
  const soloPeer = (name) => results.some((r) => !r.reference && r.peers.includes(name));
  const peerSizes = (name) =>
    results
      .filter((r) => r.peers.includes(name))
      .map((r) => r.params.n)
      .filter((n, k, all) => all.indexOf(n) === k)
      .map((n) => n.toLocaleString('en-US'))
      .join(', ');
  const header = [
    '# monge benchmark results',
    '',
    `- Date: ${stamp}`,
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.ram_gib} GiB RAM, ${m.os}; 1-min load average ` +
      `${m.load_average_1min.start.toFixed(2)} at start, ${m.load_average_1min.end.toFixed(2)} at end`,
    `- Versions: ${versionLine}`,
    `- Run time: ${(runSeconds / 60).toFixed(1)} min in all`,
    `- Command: \`${command}\` (after \`bash scripts/setup.sh\`; \`npm run bench\` does both)`,
    `- Method: seeded data (scripts/random.mjs); per case one warm-up call per implementation, then ${reps} ` +
      `repetitions alternating ${[...backends, ...(python ? ['the Python reference (POT or scipy)'] : [])].join(', ')}` +
      (usedPeers.length
        ? ` and, for \`linearSumAssignment\`, the npm packages ${usedPeers
            .map(
              (name) =>
                `${name} (n = ${peerSizes(name) || 'none'}${
                  soloPeer(name)
                    ? ', in a case of its own, last, ' +
                      'without scipy: alternated with them, its garbage slowed scipy and munkres by up to 2x'
                    : ''
                })`,
            )
            .join(' and ')}`
        : '') +
      (cappedReps.length ? `, with fewer repetitions for ${cappedReps.join(', ')}` : '') +
      '. ' +
      'monge times are `performance.now()` around the awaited call (input conversion included); ' +
      'POT and scipy times are `time.perf_counter()` around the library call in a persistent Python worker ' +
      '(loading the data not timed)' +
      (usedPeers.length
        ? '; munkres and munkres-js times are `performance.now()` around the call on a `number[][]` built ' +
          "once beforehand from the same Float64Array (that conversion not timed, unlike monge's)"
        : '') +
      '. Times are medians, with the minimum beside them. `linearSumAssignment` and `auction` values are the total ' +
      'cost; every returned assignment is checked to be a permutation, outside the timing. `emd` values are the ' +
      `optimal cost (POT: \`ot.emd2\`, with \`numItermax\` = monge's \`maxIter\` = ${EMD_MAX_ITER.toLocaleString('en-US')}); ` +
      'every call is checked to end with status optimal (POT: its result code, i.e. no numItermax warning), and its ' +
      'cost matrix is built once with `dist`, outside the timing. `auction` runs on integer costs and every call is ' +
      "checked to return gapBound 0 (provably optimal); monge's `linearSumAssignment` on the same matrix is timed " +
      'beside it, untargeted.' +
      (hasSinkhorn
        ? ' `sinkhorn` values are the transport cost ⟨P, M⟩ (POT: of the plan `ot.sinkhorn` returns, summed outside ' +
          'the timing); with tol 0 every call runs exactly maxIter iterations, checked for monge and for POT (whose ' +
          '`stopThr = 0` never stops early); the cost matrix or the point clouds are built once, outside the timing. ' +
          'ns per entry per half-iteration = median time / (2 · maxIter · n · m). The rooflines time 2 · maxIter calls ' +
          "(one per half-iteration) of Σ exp over the n·m values −M/reg with the Sinkhorn kernels' vectorised exp, " +
          'as one measurement, alternated with the rest.'
        : ''),
    "- Targets (from the project's issues; verdicts in each case's ratio table):",
    ...[...targetLines].map(([where, texts]) => `  - ${texts.join(', ')}: ${where}`),
    `- Threads: native \`slicedWasserstein\` spreads its directions over all ${m.cores} cores and native ` +
      '`wasserstein1d` sorts u and v on two threads (for large inputs); WASM runs on one thread, so ' +
      'wasm / native includes the thread count. `linearSumAssignment`, `emd` and `auction` (native and WASM), ' +
      'POT, scipy, munkres and munkres-js run on one thread.' +
      (hasSinkhorn
        ? ` Native \`sinkhorn\` and its roofline run on all ${m.cores} cores (SIMD: ${simd.native ?? 'unknown'}), ` +
          `WASM \`sinkhorn\` and its roofline on one thread (SIMD: ${simd.wasm ?? 'unknown'}), POT's ` +
          "`sinkhorn_log` on one thread (NumPy and scipy's logsumexp)."
        : ''),
    ...(quick ? ['- **Quick run** (sizes / 10, reps 2, no memory child): a smoke test, not a measurement.'] : []),
    ...(only != null
      ? [`- **Subset** (\`--only ${only}\`): only the matching cases and memory children; nothing written.`]
      : []),
    ...notes.map((n) => `- Note: ${n}`),
    ...(writes ? [`- Raw per-repetition timings: \`bench/${runFile}\``] : []),
  ].join('\n');
  const report =
    `${header}\n\n${results.map((r) => caseMarkdown(r, reps)).join('\n\n')}\n` +
    (memory ? `\n${memoryMarkdown(memory)}\n` : '') +
    (sinkhornMemory ? `\n${sinkhornMemoryMarkdown(sinkhornMemory)}\n` : '');
  return report;
}

// Prints the report (RESULTS.md's text) on stdout, the logs being on stderr.
export const printReport = (report) => console.log(`\n${report}`);

// The raw runs/<date>.json payload of a run (the fields as for reportMarkdown).
export function rawRun({
  stamp,
  command,
  reps,
  runSeconds,
  machine: m,
  versions,
  notes,
  results,
  memory,
  sinkhornMemory,
}) {
  return {
    date: stamp,
    command,
    reps,
    run_seconds: runSeconds,
    machine: m,
    versions,
    notes,
    cases: results.map(
      ({
        id,
        title,
        params,
        reference,
        targets,
        results: impls,
        ratios,
        verdicts,
        checks,
        facts,
        remarks,
        reps: caseReps,
        repsNote,
        warmup_ms,
        perEntry,
      }) => ({
        id,
        title,
        params,
        reference,
        targets,
        reps: caseReps,
        reps_note: repsNote,
        warmup_ms,
        results: impls,
        ratios,
        verdicts,
        checks,
        facts,
        ...(remarks?.length ? { notes: remarks } : {}),
        ...(perEntry ? { entries_times_half_iterations: perEntry } : {}),
      }),
    ),
    memory,
    sinkhorn_memory: sinkhornMemory,
  };
}

function caseMarkdown(r, reps) {
  const perEntry = Boolean(r.perEntry);
  const lines = [
    `### ${r.title}`,
    '',
    `| implementation | median ms | min ms |${perEntry ? ' ns / entry / half-iteration |' : ''} value |`,
    `|---|---:|---:|${perEntry ? '---:|' : ''}---:|`,
  ];
  for (const [name, x] of Object.entries(r.results)) {
    const value = x.error ? `error: ${x.error}` : (x.value?.toPrecision(12) ?? '—');
    const few = x.times_ms.length && x.times_ms.length < reps ? ` (${x.times_ms.length} reps)` : '';
    const ns = perEntry ? ` ${x.ns_per_entry_half_iteration?.toPrecision(3) ?? '—'} |` : '';
    lines.push(`| ${name}${few} | ${fmtMs(x.median_ms)} | ${fmtMs(x.min_ms)} |${ns} ${value} |`);
  }
  const unit = (key) => (typeof r.targets?.[key] === 'object' ? r.targets[key].unit : null);
  const measures = Object.keys(r.ratios).some(unit);
  lines.push('', `| ratio of medians${measures ? ', or measure' : ''} | value | target |`, '|---|---:|---|');
  for (const [key, ratio] of Object.entries(r.ratios)) {
    const value = ratio == null ? '—' : unit(key) ? `${ratio.toPrecision(3)} ${unit(key)}` : fmtRatio(ratio);
    lines.push(`| ${key} | ${value} | ${r.verdicts[key] ?? '—'} |`);
  }
  lines.push(
    '',
    ...r.checks.map((c) => `- Values, ${c.text}`),
    ...(r.facts ?? []).map((f) => `- Result, ${f}`),
    ...(r.remarks ?? []).map((f) => `- Note: ${f}`),
  );
  return lines.join('\n');
}

function sinkhornMemoryMarkdown(mem) {
  const { n, maxIter, limitMiB } = SINKHORN_MEMORY;
  const ns = n.toLocaleString('en-US');
  const lines = [`## Peak memory: sinkhorn, point clouds, n = m = ${ns}, native backend`, ''];
  if (mem.error) return [...lines, `Not measured: ${mem.error}.`].join('\n');
  const f = (mib) => `${mib.toFixed(1)} MiB`;
  const dense = (4 * n * n) / 2 ** 20;
  lines.push(
    'One native float32 `sinkhorn` solve on two clouds of ' +
      `${ns} points uniform in the unit cube (d = ${mem.dim}), squared Euclidean costs computed on the fly, uniform ` +
      `weights, reg ${mem.reg}, tol 0, maxIter ${maxIter}, all cores, in a child process of its own ` +
      `(\`node bench/sinkhorn-memory.mjs ${n} ${maxIter}\`). The baseline is the peak RSS ` +
      "(`process.resourceUsage().maxRSS`, the kernel's high-water mark for the whole process) after loading monge " +
      "and building the clouds, just before the solve; the solver's memory is the peak after the solve less that.",
    '',
    '| measure | value |',
    '|---|---:|',
    `| RSS after loading monge | ${f(mem.after_load_rss_mib)} |`,
    `| RSS before the solve (clouds built) | ${f(mem.before_solve_rss_mib)} |`,
    `| peak RSS before the solve (baseline) | ${f(mem.baseline_peak_rss_mib)} |`,
    `| RSS after the solve | ${f(mem.after_solve_rss_mib)} |`,
    `| peak RSS after the solve | ${f(mem.peak_rss_mib)} |`,
    `| **peak above baseline** | **${f(mem.peak_above_baseline_mib)}** |`,
    `| solve time | ${mem.seconds.toFixed(2)} s |`,
    `| iterations | ${mem.iterations} |`,
    `| cost | ${mem.cost.toPrecision(8)} |`,
    '',
    `- Target (issue #5): peak RSS above baseline ≤ 64 MB (read as ${limitMiB} MiB): ${mem.verdict}` +
      (mem.peak_above_baseline_mib <= limitMiB
        ? ` (${((100 * mem.peak_above_baseline_mib) / limitMiB).toFixed(0)}% of the limit)`
        : ''),
    `- For scale: the dense ${ns} × ${ns} cost matrix alone would take ${f(dense)} in float32.`,
  );
  return lines.join('\n');
}

function memoryMarkdown(mem) {
  const ns = MEMORY.n.toLocaleString('en-US');
  const lines = [`## Peak memory: emd, n = m = ${ns}, native backend`, ''];
  if (mem.error) return [...lines, `Not measured: ${mem.error}.`].join('\n');
  const f = (mib) => `${mib.toFixed(1)} MiB`;
  lines.push(
    'One native `emd` solve (uniform weights, squared Euclidean costs between two clouds of ' +
      `${ns} points uniform in the unit square, maxIter ${EMD_MAX_ITER.toLocaleString('en-US')}) in a child ` +
      `process of its own (\`node bench/emd-memory.mjs ${MEMORY.n}\`): the cost matrix is built with \`dist\`, ` +
      "then solved once. RSS is `process.memoryUsage().rss`; the peak is the kernel's high-water mark " +
      'for the whole child process (`process.resourceUsage().maxRSS`), which includes Node itself and the matrix.',
    '',
    '| measure | value |',
    '|---|---:|',
    `| RSS after loading monge (baseline) | ${f(mem.baseline_rss_mib)} |`,
    `| RSS after building M (M itself: ${f(mem.matrix_mib)}) | ${f(mem.after_matrix_rss_mib)} |`,
    `| RSS after the solve | ${f(mem.after_solve_rss_mib)} |`,
    `| **peak RSS** | **${f(mem.peak_rss_mib)}** (${mem.peak_rss_gib.toFixed(2)} GiB) |`,
    `| peak − baseline − M (the solver's own memory, roughly) | ${f(mem.peak_rss_mib - mem.baseline_rss_mib - mem.matrix_mib)} |`,
    `| solve time | ${mem.seconds.toFixed(2)} s |`,
    `| pivots (iterations) | ${mem.iterations.toLocaleString('en-US')} |`,
    `| status | ${mem.status} |`,
    `| cost | ${mem.cost.toPrecision(12)} |`,
    '',
    `- Target (issue #4): peak RSS ≤ ${MEMORY.limitGiB} GiB: ${mem.verdict}` +
      (mem.peak_rss_gib <= MEMORY.limitGiB
        ? ` (${((100 * mem.peak_rss_gib) / MEMORY.limitGiB).toFixed(0)}% of the limit)`
        : ''),
    `- POT needs about ${MEMORY.potGiB} GiB at this size, a figure quoted from issue #4, not measured here ` +
      `(POT is not run at n = ${ns}).`,
  );
  return lines.join('\n');
}

export function machine() {
  const cpus = os.cpus();
  let cpu = cpus[0]?.model?.trim();
  if (!cpu) {
    try {
      cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1];
    } catch {}
  }
  let distro = '';
  try {
    distro = readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]*)/m)?.[1] ?? '';
  } catch {}
  return {
    cpu: cpu ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    ram_gib: +(os.totalmem() / 2 ** 30).toFixed(1),
    os: `${distro ? `${distro}, ` : ''}${os.type()} ${os.release()} ${os.arch()}`,
  };
}
