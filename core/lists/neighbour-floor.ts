// The neighbour term as a device may receive it: the member's own items, and of the others only items at least k
// members of the store bought (the store model's popularity is 0 for the rest). A product only one neighbour bought
// would otherwise tell the member what that neighbour buys, although the vector is a mean over ≥ k of them.
import type { Trip } from '../types.ts';
import type { NeighbourVector } from './neighbours.ts';

/** `vec` without the items that are neither the member's own nor `allowed` (e.g. `popularity[i] > 0`). */
export function floorNeighbourVector(vec: NeighbourVector, trips: readonly Trip[], allowed: (item: number) => boolean): NeighbourVector {
  const own = new Set<number>();
  for (const t of trips) for (const i of t.items) own.add(i);
  const items: number[] = [];
  const values: number[] = [];
  for (let e = 0; e < vec.items.length; e++) {
    const i = vec.items[e]!;
    if (own.has(i) || allowed(i)) {
      items.push(i);
      values.push(vec.values[e]!);
    }
  }
  return { items: Int32Array.from(items), values: Float32Array.from(values), neighbours: vec.neighbours };
}
