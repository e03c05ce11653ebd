/**
 * A token-level language model as a decoder sees it. States are opaque integers owned by the model,
 * so a decoder can cache them on its prefixes; scores are natural logarithms.
 */
export interface TokenLanguageModel {
  /** The state at the start of a sentence (after `<s>`). */
  readonly startState: number;
  /** Log-probability of `word` after `state`, and the state that follows it. */
  next(state: number, word: string): { readonly logProb: number; readonly state: number };
  /** Log-probability of ending the sentence (`</s>`) after `state`. */
  end(state: number): number;
}
