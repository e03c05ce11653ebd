import type { StnasConfig } from './config';
import type { SearchSpaceModel } from './supernet';

/**
 * The architecture a supernet has found: the argmax of p in every node, never a sample
 * (thu-spmi/ST-NAS NASTop.py `_fetch_best`), written as the same reference JSON with one candidate
 * per node (`base` is node 0-0's choice; every node is listed explicitly as `"<block>-<node>"`) and
 * without `weight_sharing`, so it builds the ordinary model of those ops.
 */
export function deriveArchitecture(supernet: SearchSpaceModel): StnasConfig {
  const chosen: Record<string, string[]> = {};
  let base: string[] | undefined;
  for (const layer of supernet.layers) {
    if (layer.type !== 'block') continue;
    layer.block.nodes.forEach((node, n) => {
      const op = node.candidates[node.best()]!.name;
      base ??= [op];
      chosen[`${layer.block.index}-${n}`] = [op];
    });
  }
  const { candidate: _unused, ...rest } = supernet.config;
  // The derived model is retrained from scratch as an ordinary network: weight sharing is a
  // property of the supernet only.
  const { weight_sharing: _sharing, ...netConfigs } = rest.net_configs;
  return { ...rest, net_configs: netConfigs, candidate: { base: base ?? [], ...chosen } } as StnasConfig;
}
