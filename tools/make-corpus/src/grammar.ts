// A small template grammar over common English words that writes original, WSJ-flavoured sentences.
import { pick, type seededRandom } from './random';

type Rand = ReturnType<typeof seededRandom>;

const W = {
  adj: 'big small old new good bad long short high low early late quiet busy strong weak cheap costly simple clear dark bright warm cold young local public private national foreign major minor final recent rapid slow steady sudden huge tiny rich poor fresh heavy light full empty'.split(
    ' ',
  ),
  noun: 'company market bank city house car train plan price report budget office teacher doctor driver farmer lawyer worker student manager river garden school letter story meeting project contract factory engine bridge road station island village window table paper game team player song movie picture computer phone camera watch machine bottle basket ticket dinner'.split(
    ' ',
  ),
  nouns:
    'companies markets banks cities houses cars trains plans prices reports offices teachers doctors drivers farmers lawyers workers students managers rivers gardens schools letters stories meetings projects contracts factories engines bridges roads stations islands villages windows tables papers games teams players songs movies pictures computers phones cameras machines bottles tickets'.split(
      ' ',
    ),
  name: 'john mary david susan robert linda james karen michael nancy peter laura thomas helen george anna paul carol frank alice henry emma daniel ruth walter grace'.split(
    ' ',
  ),
  verbPast:
    'bought sold found built moved opened closed changed watched checked signed painted cleaned fixed called visited wanted needed started finished joined lost won saw took made gave kept left brought sent held'.split(
      ' ',
    ),
  verb: 'buy sell find build move open close change watch check sign paint clean fix call visit need start finish join lose win see take make give keep leave bring send hold'.split(
    ' ',
  ),
  place:
    'park market station office garden river city center village school hotel airport harbor museum library hospital bank theater church kitchen'.split(
      ' ',
    ),
  day: 'monday tuesday wednesday thursday friday saturday sunday'.split(' '),
  month: 'january february march april may june july august september october november december'.split(' '),
  number:
    'two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty sixty hundred'.split(
      ' ',
    ),
  time: 'today yesterday tonight tomorrow recently again later soon'.split(' '),
  adv: 'quickly slowly quietly carefully clearly easily nearly rarely often always never usually'.split(' '),
  rel: 'mother father sister brother friend neighbor uncle aunt cousin partner'.split(' '),
  prep: 'near behind beside inside outside above below across'.split(' '),
};

const templates: ((r: Rand) => string)[] = [
  (r) =>
    `the ${pick(W.adj, r)} ${pick(W.noun, r)} ${pick(W.verbPast, r)} the ${pick(W.noun, r)} ${pick(W.time, r)}`,
  (r) =>
    `${pick(W.name, r)} ${pick(W.verbPast, r)} a ${pick(W.adj, r)} ${pick(W.noun, r)} ${pick(W.prep, r)} the ${pick(W.place, r)}`,
  (r) =>
    `the ${pick(W.nouns, r)} will ${pick(W.verb, r)} the ${pick(W.adj, r)} ${pick(W.noun, r)} on ${pick(W.day, r)}`,
  (r) =>
    `${pick(W.number, r)} ${pick(W.nouns, r)} were ${pick(W.adv, r)} ${pick(W.verbPast, r)} in ${pick(W.month, r)}`,
  (r) => `did the ${pick(W.noun, r)} ${pick(W.verb, r)} the ${pick(W.nouns, r)} ${pick(W.time, r)}`,
  (r) => `prices at the ${pick(W.place, r)} rose ${pick(W.number, r)} percent in ${pick(W.month, r)}`,
  (r) => `${pick(W.name, r)} and ${pick(W.name, r)} went to the ${pick(W.place, r)} on ${pick(W.day, r)}`,
  (r) => `my ${pick(W.rel, r)} said the ${pick(W.noun, r)} was too ${pick(W.adj, r)}`,
  (r) =>
    `we ${pick(W.adv, r)} ${pick(W.verb, r)} ${pick(W.number, r)} ${pick(W.nouns, r)} every ${pick(W.day, r)}`,
  (r) => `the ${pick(W.noun, r)} near the ${pick(W.place, r)} is ${pick(W.adj, r)} and ${pick(W.adj, r)}`,
  (r) =>
    `her ${pick(W.rel, r)} ${pick(W.verbPast, r)} the ${pick(W.noun, r)} ${pick(W.prep, r)} the ${pick(W.noun, r)}`,
  (r) => `the ${pick(W.adj, r)} ${pick(W.nouns, r)} could not ${pick(W.verb, r)} the ${pick(W.noun, r)}`,
  (r) =>
    `${pick(W.name, r)} wants to ${pick(W.verb, r)} a ${pick(W.adj, r)} ${pick(W.noun, r)} for his ${pick(W.rel, r)}`,
  (r) =>
    `in ${pick(W.month, r)} the ${pick(W.noun, r)} ${pick(W.verbPast, r)} ${pick(W.number, r)} new ${pick(W.nouns, r)}`,
  (r) => `please ${pick(W.verb, r)} the ${pick(W.noun, r)} before ${pick(W.day, r)}`,
  (r) => `the ${pick(W.noun, r)} of the ${pick(W.noun, r)} was ${pick(W.adv, r)} ${pick(W.adj, r)}`,
  (r) => `why did ${pick(W.name, r)} ${pick(W.verb, r)} the ${pick(W.adj, r)} ${pick(W.noun, r)}`,
  (r) =>
    `about ${pick(W.number, r)} ${pick(W.nouns, r)} stood ${pick(W.prep, r)} the old ${pick(W.place, r)}`,
];

/** The word lists the grammar draws from (every word must be in the lexicon). */
export function grammarWords(): string[] {
  const fixed =
    'the a will on were in did prices at rose percent and went to my said was too we every near is her could not wants for his new please before of why about stood old'.split(
      ' ',
    );
  const lists = Object.values(W).filter((v): v is string[] => Array.isArray(v));
  return [...new Set([...fixed, ...lists.flat()])].sort();
}

/**
 * Draws `count` distinct sentences (upper-case, WSJ style) from the grammar with `rand`; throws if
 * the grammar cannot supply that many within a bounded number of draws.
 */
export function makeSentences(count: number, rand: Rand): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let tries = 0; out.length < count; tries++) {
    if (tries > count * 50)
      throw new Error(`makeSentences: only ${out.length} distinct sentences of ${count}`);
    const s = pick(templates, rand)(rand).toUpperCase();
    if (!seen.has(s)) {
      seen.add(s);
      out.push(s);
    }
  }
  return out;
}
