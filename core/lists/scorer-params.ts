// The list scorer's weights: one record per store, fitted at headquarters (core/lists/fit.ts) and carried in the
// store model, so every device of a store ranks with the same weights.
import { CYCLE_DEFAULTS } from './cycles.ts';

/** Larder's scorer parameters. */
export interface ScorerParams {
  /** Personal vector: groups, decay of older trips inside a group, decay of older groups (TIFU's r_b, r_g). */
  groupCount: number;
  withinDecay: number;
  groupDecay: number;
  /** Weight of the personal vector against the collaborative one. */
  alpha: number;
  /** Member neighbours the neighbour term is the mean of (0 = none: item-item neighbours only). */
  neighbours: number;
  /** Exponent of the due probability on repeat items (0 = timing ignored). */
  timingWeight: number;
  /** Window, in the data's time unit, over which "due" is judged; 0 = the member's own typical gap between trips. */
  horizon: number;
  /** Weight of item-item neighbours of the member's items. */
  itemWeight: number;
  /** Weight of store-wide popularity (cold start and explore). */
  popularityWeight: number;
  /** Recency factor of the interval model. */
  recency: number;
  /** Weight of the member's plain purchase frequency (share of their trips with the item, P-TopFreq's signal) on
   * repeat items: large values let a store of regular members put what they always buy first. */
  freqWeight: number;
  /** Weight of the rhythm bonus on repeat items: P(bought within the horizon) × the rhythm's confidence, so an item
   * bought on a steady rhythm and due now keeps its slot against popular items. */
  dueWeight: number;
  /** Exponent of the member's own repeat odds against the store's (share of their past items that were bought
   * before, shrunk toward the store's): members who rebuy get repeat items first, explorers get new ones. */
  repeatBias: number;
  /** How repeat and explore candidates share the slots. 2: as the neighbour blend (TIFU-KNN's ranking) shares them —
   * its first k slots' count of repeat items, exactly — and Larder's terms only choose which repeat and which new
   * items fill them; 1: at least that many repeat items (a popular new item never takes a slot a repeat item holds in
   * the blend), more when Larder's scores say so; 0: merged by score alone. 3 (the calibrated blend's, whose scores
   * are chances comparable across the two): each block of ten slots ends with at least the blend's count of repeat
   * items, in order of chance inside the block, so a likelier new item may come first; elsewhere 3 acts as 1. */
  repeatSlots: number;
  /** The calibrated blend's weights (core/lists/calibrated.ts, one per CALIBRATION_FEATURES entry), when the store's
   * fit chose it: candidates are then ranked by their fitted chance of being in the next basket. */
  calibration?: readonly number[];
}

/** Defaults for a store with no fit: the TIFU-KNN Ta-Feng setting, a moderate timing weight, and a small rhythm and
 * frequency term so a due item on a rhythm is not pushed out by a popular one. */
export const SCORER_DEFAULTS: ScorerParams = {
  groupCount: 7,
  withinDecay: 0.9,
  groupDecay: 0.7,
  alpha: 0.7,
  neighbours: 300,
  timingWeight: 0.3,
  horizon: 7,
  itemWeight: 0.05,
  popularityWeight: 0.01,
  recency: CYCLE_DEFAULTS.recency,
  freqWeight: 0.1,
  dueWeight: 0.1,
  repeatBias: 0,
  repeatSlots: 1,
};
