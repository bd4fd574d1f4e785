import { numberOption } from '../convert.js';
import { invalid } from '../errors.js';
import type { MatrixLike, Vector } from '../types.js';
import { entropic, type CloudCost, type SinkhornOptions, type SinkhornResult } from './sinkhorn.js';

/** Options of {@link sinkhornUnbalanced}: those of `sinkhorn`, and the marginal relaxation. */
export interface UnbalancedOptions extends SinkhornOptions {
  /** ρ > 0: how strongly the plan's marginals are held to `a` and `b` (KL penalty). Required. */
  regM: number;
}

/**
 * Unbalanced entropic optimal transport (POT: `ot.unbalanced.sinkhorn_unbalanced` with
 * `reg_type='kl'`): the marginal constraints are replaced by KL penalties of strength
 * $\rho$ = `regM`,
 *
 * $$\min_{P \ge 0} \langle P, M \rangle + \varepsilon\, \mathrm{KL}(P \,|\, a \otimes b) + \rho\, \mathrm{KL}(P\mathbf 1 \,|\, a) + \rho\, \mathrm{KL}(P^\top \mathbf 1 \,|\, b),$$
 *
 * so `a` and `b` may have different total masses (they are **not** normalised; `undefined` means
 * `1/n` each), and mass that is too expensive to move is created or destroyed instead. Log-domain
 * iterations, each the balanced update scaled by $\rho / (\rho + \varepsilon)$. The result is a
 * `SinkhornResult` whose `marginalError` measures the optimality conditions of this problem,
 * $P\mathbf 1 = a\, e^{-f/\rho}$ and $P^\top \mathbf 1 = b\, e^{-g/\rho}$, and whose `objective`
 * is the whole objective above.
 *
 * @throws MongeError as `sinkhorn`, and `INVALID_INPUT` when `regM` is not a finite number > 0.
 *
 * @example
 * ```ts
 * // Twice as much mass on one side: the plan settles in between.
 * const r = await sinkhornUnbalanced([1, 1], [1], [[0], [1]], { reg: 0.1, regM: 1, returnPlan: true });
 * ```
 *
 * Reference: Chizat, Peyré, Schmitzer & Vialard, Math. Comp. 87 (2018).
 */
export async function sinkhornUnbalanced(
  a: Vector | undefined,
  b: Vector | undefined,
  M: MatrixLike | CloudCost,
  options: UnbalancedOptions,
): Promise<SinkhornResult> {
  if (options === null || typeof options !== 'object') {
    throw invalid('reg', 'sinkhornUnbalanced needs options with reg and regM, e.g. { reg: 0.01, regM: 1 }');
  }
  const regM = numberOption('regM', options.regM, Number.NaN);
  return entropic('sinkhornUnbalanced', a, b, M, options, regM);
}
