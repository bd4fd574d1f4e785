/**
 * The native backend (Node only): the napi-rs addon built from `crates/monge-node`.
 *
 * Copies: none in (napi hands Rust a borrowed slice over each Float64Array), none out (result
 * vectors are adopted as the backing store of the returned typed arrays).
 */
import { createRequire } from 'node:module';
import type { Kernels } from './kernels.js';
import type * as Binding from '../../native/index.cjs';

/** Loads the addon through napi-rs's generated loader (local binary, then the platform package). */
export async function loadNative(): Promise<Kernels> {
  const require = createRequire(import.meta.url);
  // The bundle lives in dist/, the generated loader in native/.
  let binding: typeof Binding;
  try {
    binding = require('../native/index.cjs') as typeof Binding;
  } catch (err) {
    throw new Error(`no native addon for ${process.platform}-${process.arch} could be loaded (${causes(err)})`, {
      cause: err,
    });
  }
  const kernels: Kernels = {
    dist: binding.dist,
    wasserstein1d: binding.wasserstein1d,
    emd1d: binding.emd1d,
    slicedWasserstein: binding.slicedWasserstein,
    emd: binding.emd,
    linearSumAssignment: binding.linearSumAssignment,
    auction: binding.auction,
    sinkhorn64: binding.sinkhorn64,
    sinkhorn32: binding.sinkhorn32,
    sinkhornDivergence: binding.sinkhornDivergence,
    panicForTests: binding.panicForTests,
  };
  return kernels;
}

/** The first line of each error in a `cause` chain: napi-rs chains one per place it looked. */
function causes(err: unknown): string {
  const lines: string[] = [];
  for (let e = err; e instanceof Error && lines.length < 8; e = e.cause) lines.push(e.message.split('\n')[0]!);
  return lines.join('; ');
}
