/** Fused tile partitioning: receptive fields, stacks, partitions, tile models, costs, schedules, sweeps. */
export * from './receptive-field';
export { classifyNode, type LocalOp } from './local-ops';
export { fusedStack, type FusedStack, type StackNode, type StackOptions } from './stack';
export { parseGrid, partitionStack, splitBounds, traceTile, type Grid, type Pads, type Partition, type Tile } from './partition';
export { stackModel, stitchedModel, stitchOutputs, tileModel, type TileModelOptions, type WholeModelOptions } from './tile-models';
export { prefixCost, tileCost, tilingMetrics, untiledCost, type TileCost, type TilingMetrics } from './metrics';
export {
	ASSIGNMENTS, defaultAssignment, deviceProfilesOf, scheduleTiles, tileSeconds,
	type Assignment, type Schedule, type ScheduleOptions, type TileRun
} from './schedule';
export { gatewayCost, mapTier, type GatewayCost } from './gateway';
export { evaluateTiling, type TileReport, type TilingReport } from './evaluate';
export { SQUARE_GRIDS, SWEEP_RULE, sweepTiling, type SweepOptions, type SweepPoint, type SweepResult } from './sweep';
export { REFERENCE_NET_LABEL, yolov2TinyReference, type ReferenceNetOptions } from './reference-net';
