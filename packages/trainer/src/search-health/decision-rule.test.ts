import { describe, expect, it } from 'vitest';
import { DEFAULT_DECISION_RULE, decisionStop, undecidedNodes, undecidedWarning } from './decision-rule';
import { conditionalLosses } from './path-table';

// Two nodes of three candidates; p at the end of each epoch.
const uniform = [
  [1 / 3, 1 / 3, 1 / 3],
  [1 / 3, 1 / 3, 1 / 3],
];
const leaning = [
  [0.5, 0.3, 0.2],
  [0.2, 0.3, 0.5],
];
const decided = [
  [0.7, 0.2, 0.1],
  [0.1, 0.2, 0.7],
];
const decidedMore = [
  [0.8, 0.1, 0.1],
  [0.05, 0.15, 0.8],
];
const flipped = [
  [0.1, 0.2, 0.7],
  [0.1, 0.2, 0.7],
];

describe('decisionStop', () => {
  const rule = { stableEpochs: 2, threshold: 0.6 };

  it('stops once the argmax held for N epochs and every node passes the threshold', () => {
    // argmax (0, 2) at the ends of epochs 2, 3 and 4: unchanged over the last 2 epochs.
    expect(decisionStop(rule, [uniform, leaning, decided, decidedMore])).toMatch(
      /^the decision is stable: the argmax of every node unchanged for 2 epochs and every node's largest p at least 0.6 \(lowest 0.800\)$/,
    );
  });

  it('does not stop one epoch early', () => {
    expect(decisionStop(rule, [leaning, decided, decidedMore])).toBeDefined();
    expect(decisionStop(rule, [uniform, decided, decidedMore])).toBeUndefined();
    expect(decisionStop(rule, [decided, decidedMore])).toBeUndefined();
  });

  it('does not stop while some node is below the threshold, however stable', () => {
    expect(decisionStop(rule, [leaning, leaning, leaning, leaning])).toBeUndefined();
    expect(decisionStop({ stableEpochs: 2, threshold: 0.5 }, [leaning, leaning, leaning])).toBeDefined();
  });

  it('does not stop when an argmax changed within the window', () => {
    expect(decisionStop(rule, [decided, flipped, decided])).toBeUndefined();
    expect(decisionStop(rule, [flipped, decided, decided, decided])).toBeDefined();
  });

  it('with stableEpochs 0 the threshold alone decides', () => {
    expect(decisionStop({ stableEpochs: 0, threshold: 0.6 }, [decided])).toMatch(
      /^the decision is stable: every node's largest p at least 0.6 \(lowest 0.700\)$/,
    );
    expect(decisionStop({ stableEpochs: 0, threshold: 0.6 }, [leaning])).toBeUndefined();
    expect(decisionStop({ stableEpochs: 0, threshold: 0.6 }, [])).toBeUndefined();
  });

  it('has defaults that stop a clear decision and not a uniform search', () => {
    expect(decisionStop(DEFAULT_DECISION_RULE, [decided, decided, decided])).toBeDefined();
    expect(decisionStop(DEFAULT_DECISION_RULE, [uniform, uniform, uniform, uniform])).toBeUndefined();
  });
});

describe('undecided nodes and the warning', () => {
  const names = [
    ['a1', 'a2', 'a3'],
    ['b1', 'b2', 'b3'],
  ];

  it('lists the nodes below the threshold with their largest p and candidate', () => {
    expect(undecidedNodes([decided[0]!, leaning[1]!], 0.6)).toEqual([{ node: 1, largest: 0.5, best: 2 }]);
  });

  it('names every undecided node in one line', () => {
    const w = undecidedWarning(
      [
        [0.272, 0.25, 0.24, 0.238],
        [0.7, 0.1, 0.1, 0.1],
        [0.22, 0.264, 0.26, 0.256],
      ],
      [
        ['C1D1', 'C1D2', 'C2D1', 'C2D2'],
        ['C1D1', 'C1D2', 'C2D1', 'C2D2'],
        ['C1D1', 'C1D2', 'C2D1', 'C2D2'],
      ],
      0.6,
    );
    expect(w).toBe(
      'the search did not decide: node 0 (largest p 0.272 for C1D1; uniform 0.250), ' +
        'node 2 (largest p 0.264 for C1D2; uniform 0.250) are below p 0.6, so those ops of the derived ' +
        'architecture are close to a coin flip (search longer or with a larger architecture learning rate)',
    );
    expect(w).not.toContain('\n');
  });

  it('speaks of one node in the singular', () => {
    const w = undecidedWarning(
      [
        [0.969, 0.031],
        [0.444, 0.556],
      ],
      [
        ['C1D1', 'C2D2'],
        ['C1D1', 'C2D2'],
      ],
      0.6,
    );
    expect(w).toBe(
      'the search did not decide: node 1 (largest p 0.556 for C2D2; uniform 0.500) is below p 0.6, ' +
        'so that op of the derived architecture is close to a coin flip (search longer or with a larger ' +
        'architecture learning rate)',
    );
  });

  it("with the path check's evidence, says which candidate the held-out loss favours", () => {
    const probs = [
      [0.969, 0.031],
      [0.598, 0.402],
    ];
    const table = [
      { choices: [0, 0], loss: 6 },
      { choices: [0, 1], loss: 4 },
      { choices: [1, 0], loss: 5 },
      { choices: [1, 1], loss: 4.5 },
    ];
    const conditional = conditionalLosses(probs, table);
    // Node 1: E[L | C1D1] = 0.969*6 + 0.031*5 = 5.969; E[L | C2D2] = 0.969*4 + 0.031*4.5 = 4.0155.
    const w = undecidedWarning(
      probs,
      [
        ['C1D1', 'C2D2'],
        ['C1D1', 'C2D2'],
      ],
      0.6,
      { conditional, paths: 4 },
    );
    expect(w).toBe(
      'the search did not decide: node 1 (largest p 0.598 for C1D1; uniform 0.500; over all 4 paths the ' +
        'held-out loss is lowest with C2D2, 5.97 with C1D1 and 4.02 with C2D2) is below p 0.6, so that op ' +
        'of the derived architecture is close to a coin flip (OUT/search/paths.json ranks every path by held-out loss)',
    );
  });

  it('is silent when every node decided', () => {
    expect(undecidedWarning(decided, names, 0.6)).toBeUndefined();
  });

  it('warns for a search that ended uniform', () => {
    expect(undecidedWarning(uniform, names, 0.6)).toMatch(/^the search did not decide: node 0 .* node 1 /);
  });
});
