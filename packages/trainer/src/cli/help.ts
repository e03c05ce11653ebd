// Help texts of the `stnas` commands (kept apart so cli.ts stays a thin parser).

/** The top-level help. */
export const HELP = `stnas: efficient neural architecture search for end-to-end speech recognition (ST-NAS)

Usage: stnas [global options] <command> [options]

Commands:
  demo       the whole pipeline on the bundled corpus with a small search space, beside two
             human-designed baselines, printing a table of test PER and parameters
  pipeline   warmup, search, retrain, decode and report on your own Kaldi data dirs
  warmup     train uniformly sampled paths of the supernet with CTC
  search     alternate architecture steps (held-out batch) and weight steps (train batch)
  retrain    derive the argmax architecture (or take --arch) and train it from scratch
  decode     greedy or prefix beam search to a PER report; --word-lm adds a word-LM search and
             its WER; --write-logits to a Kaldi ark
  lm         build a word n-gram LM (modified Kneser-Ney) from transcripts, as ARPA
  report     write the self-contained HTML report of a run directory
  prepare    fbank features and CMVN from audio (a wav.scp of WAV/FLAC, or a LibriSpeech folder)
             into a Kaldi data dir, with a lang/ dir from CMUdict; or a speed-perturbed copy
  experiment multi-seed searches beside random and hand-designed architectures, with bootstrap
             confidence intervals, on a local pool of processes or on BullMQ workers
  worker     run experiment jobs from a Redis queue (BullMQ), on any machine that sees DIR
  doctor     print the Node version, the selected backend and why, SIMD/threads, the BLAS,
             and which optional backends are missing

Global options (before or after the command):
  --backend auto|tensorflow|wasm|cpu   compute engine (default auto: tfjs-node-gpu, tfjs-node,
                                       wasm, cpu, the first that loads)
  --blas auto|off                      the machine's BLAS (OpenBLAS, MKL, BLIS, Accelerate) for
                                       matMul and TDNN on wasm and cpu (default auto; also
                                       STNAS_BLAS=off, or STNAS_BLAS=/path/to/lib)
  --json                               machine-readable output
  -h, --help                           this help

Run 'stnas <command> --help' for a command's options. Exit codes: 0 success, 1 failure,
2 bad arguments, 3 backend unavailable, 4 missing or malformed input, 5 Redis unreachable.`;

const TRAIN_COMMON = `  --config FILE        supernet config in the reference's JSON format (candidate, net, net_configs)
  --data DIR           Kaldi training data dir (feats.scp, cmvn.scp, utt2spk, text)
  --dev DIR            Kaldi dev data dir (the stop rule's loss)
  --lexicon FILE       word to phone lexicon (default: DATA/../lang/lexicon.txt)
  --units FILE         phone units, one per line as "<unit> <id>" (default: DATA/../lang/units.txt)
  --out DIR            run directory (created; a rerun resumes from its checkpoints)
  --seed N             seed of initialisation, shuffling and sampling (default 0)
  --batch-size N       most utterances per batch (default: the reference's 128 warmup and
                       retrain, 64 search)
  --batch-frames N     most padded frames per batch, utterances x the longest (default 6000,
                       below what the 640-unit WSJ supernet fits in wasm's 4 GiB; 0: no limit)
  --lr X               weight learning rate (Adam, default 1e-3)
  --max-epochs N       hard cap on epochs
  --steps-per-epoch N  cap batches per epoch (quick runs)
  --checkpoint-every N steps between mid-epoch checkpoints (default 50)
  --max-utts N         load only the first N utterances of each data dir (quick runs)
  --loss ctc|ctc-crf   training loss (default ctc); ctc-crf estimates a phone LM from the training
                       labels, writes it to the stage dir as phone_lm.arpa and trains CTC-CRF
  --crf-lambda X       weight of the CTC term in CTC-CRF (default 0.01)
  --crf-order N        order of the CTC-CRF phone LM (default 4)
  --spec-augment       SpecAugment training batches (2 freq masks <= 10 bins on statics and
                       deltas, 2 time masks <= 40 frames and <= 20% of the utterance, no warp)
  --spec-augment-config JSON|FILE  SpecAugment settings (freqMasks, freqMaskWidth, freqGroups,
                       timeMasks, timeMaskWidth, timeMaskRatio, timeWarp, maskValue); implies
                       --spec-augment
  --speed-perturb F,F  speed-perturb the training data dir (needs its wav.scp) into OUT/data first,
                       e.g. 0.9,1.0,1.1`;

const DECISION = `  --stable-epochs N    the search stops once the argmax of every node has not changed for N
                       epochs (default 2) ...
  --decision-threshold X  ... and every node's largest p is at least X (default 0.6); a search
                       that ends with a node below X prints the "did not decide" warning`;

const PATH_CHECK = `  --path-check N       when the search ends, evaluate every path of a space with at most N paths
                       on the held-out split and rank the derived architecture among them
                       (OUT/search/paths.json; default 64, 0 turns it off)`;

/** Per-command help. */
export const COMMAND_HELP: Record<string, string> = {
  warmup: `Usage: stnas warmup --config FILE --data DIR --dev DIR --out DIR [options]

Trains the supernet's weights with CTC, sampling one candidate per node uniformly at every step.
Stops when the dev loss has not improved by --min-loss-improve for 3 epochs after --min-epochs;
always leaves OUT/warmup/best.ckpt.

${TRAIN_COMMON}
  --min-epochs N       epochs before the stop rule applies (default 10)
  --min-loss-improve X improvement that counts (default 0.5)`,
  search: `Usage: stnas search --config FILE --data DIR --dev DIR --out DIR [options]

Starts from OUT/warmup/best.ckpt. Moves --held-out-ratio of the training set into a held-out split;
each step takes an architecture step on a held-out batch (sample from p, estimator gradient, Adam
on the logits only) and a weight step on a train batch (one path sampled from p). Logs p and its
entropy for every node at every step to OUT/search/steps.jsonl ({ "step", "p", "h" }), each node's
largest p and entropy at every epoch's end, and writes OUT/search/architecture.json. Stops when the
decision is stable (below), at --max-epochs, or when the dev loss stops improving (the reference's
rule); the architecture is the argmax of p at the end. When some node ends with its largest p below
--decision-threshold, prints "warning: the search did not decide: ..." naming those nodes.

${TRAIN_COMMON}
  --estimator NAME     st|gdas|snas|darts|spos|leg (default st; leg: the local expectation
                       gradient, unbiased, from whole paths)
  --held-out-ratio X   fraction of train moved to the held-out split (default 0.1)
  --arch-lr X          Adam learning rate of the architecture logits (default 5e-3)
${DECISION}
${PATH_CHECK}`,
  retrain: `Usage: stnas retrain --config FILE --data DIR --dev DIR --out DIR [options]

Builds the derived architecture (OUT/search/architecture.json, or --arch) from scratch and trains
it with CTC; the lr is multiplied by 0.1 on every non-improving epoch after --min-epochs, and the
run stops below --lr-floor. Writes the model to OUT/retrain (model.json, weights.ckpt).

${TRAIN_COMMON}
  --arch OPS           comma-separated op per node (e.g. tdnn-C1D1Nln,tdnn-C2D2Nln,...)
  --name NAME          subdirectory of OUT for this model (default retrain)
  --min-epochs N       epochs before the lr can decay (default 10)
  --lr-floor X         stop when the lr falls below this (default 1e-5)`,
  decode: `Usage: stnas decode --model DIR --data DIR [options]

Decodes a Kaldi data dir (feats.scp, cmvn.scp, utt2spk and a word-level text mapped to phones
through the lexicon) with the model's own feature pipeline and prints the phone error rate. With
--word-lm it also searches the lexicon's words with that word n-gram LM and prints the word error
rate against the transcripts above the PER.

  --model DIR          a trained model directory (model.json and weights.ckpt)
  --data DIR           the data dir to decode
  --lexicon FILE       word to phone lexicon (default: the model's own)
  --beam N             prefix beam search width (default 0: greedy)
  --lm FILE            phone n-gram LM in ARPA format (beam search only)
  --lm-weight X        LM weight (default 0.5)
  --write-logits FILE  also write the log-softmax outputs as a Kaldi ark (-inf as -1e16)
  --max-utts N         decode only the first N utterances
  --word-lm FILE       word n-gram LM in ARPA format (e.g. from 'stnas lm'): adds the word search;
                       --beam is its beam (default 16), --lm-weight its LM weight, and the PER
                       printed beside its WER is the greedy one
  --word-bonus Y       score added per word in the word search (default 0; a negative one as
                       --word-bonus=-1)
  --tune-dev DIR       pick --lm-weight and --word-bonus by WER on this dev data dir (a grid of
                       0.25..2 by -1..2), written to MODEL/word-lm-tuning.json
  --json               print { "per", "utterances", "oov" } as one line; with --word-lm also
                       "wer", "lmWeight", "wordBonus", "beam" and (tuned) "devWer"`,
  lm: `Usage: stnas lm --text FILE --out FILE.arpa [--order N] [--dev FILE]

Estimates a word n-gram LM with interpolated modified Kneser-Ney (as KenLM's lmplz) from a Kaldi
text file (utterance id, then the words) and writes it in ARPA format.

  --text FILE          training transcripts (e.g. data/train/text)
  --order N            n-gram order (default 3)
  --out FILE           the ARPA file to write
  --dev FILE           also print the perplexity on this Kaldi text file
  --json               print { "out", "order", "ngrams", "sentences", "devPerplexity" }`,
  report: `Usage: stnas report --out DIR

Writes DIR/report.html: the derived architecture drawn as SVG, the architecture probabilities over
the search, the loss curves and the results table, in one self-contained file.`,
  pipeline: `Usage: stnas pipeline --config FILE --data DIR --dev DIR --test DIR --out DIR [options]

Runs warmup, search, retrain, decode of --test and report in OUT; a rerun resumes.

${TRAIN_COMMON}
  --test DIR           Kaldi test data dir decoded at the end
  --estimator NAME     st|gdas|snas|darts|spos|leg (default st)
  --held-out-ratio X   (default 0.1)
  --search-epochs N    cap on the search's epochs (default --max-epochs)
  --word-lm FILE       also decode the test set to words with this word n-gram LM (ARPA, e.g. from
                       'stnas lm') and report its WER; LM weight and word bonus tuned on --dev
                       (OUT/word-lm-tuning.json); --beam is the word search's (default 16)
${DECISION}
${PATH_CHECK}`,
  demo: `Usage: stnas demo [--out DIR] [--json] [--seed N] [--quick] [search options]

The whole pipeline on the bundled corpus with a small search space (under 15 minutes on 2 CPU
cores), then the searched architecture retrained beside two human-designed baselines (the smallest
candidate everywhere, and the largest) and one architecture drawn at random from the space (seeded
by --seed), all retrained the same way, with parameters and test PER. A model whose architecture
equals an earlier row's is not retrained: its row reads "same as searched" (or the row it repeats).
Prints "warning: the search did not decide: ..." when some node ends below --decision-threshold,
and where the derived architecture ranks among all 16 paths of the space by held-out loss.
With --json the last line is { "results": [...], "model": "<dir>", "architectureProbs": [[...]],
"pathCheck": {...} }.

  --out DIR            run directory (default ./stnas-demo); a rerun resumes
  --quick              a few steps per stage (a smoke test, not a result)
  --seed N             (default 0)
  --search-epochs N    cap on the search's epochs (default: the demo's plan)
  --estimator NAME     the search's architecture gradient: leg (default; the local expectation
                       gradient, which decides on this space) or st (ST-NAS's straight-through
                       gradient, which does not always: docs/results.md), gdas, snas, darts, spos
${DECISION}`,
  prepare: `Usage: stnas prepare (--data DIR | --librispeech SRC) --out DIR2 [options]
       stnas prepare --data DIR --speed-perturb 0.9,1.0,1.1 --out DIR2

Computes features from audio as Kaldi's make_fbank.sh and compute_cmvn_stats.sh, without Kaldi:
DIR2 gets feats.ark/scp (CM-compressed), utt2num_frames, utt2dur, per-speaker cmvn.ark/scp,
spk2utt, utt2spk, text, wav.scp and the fbank.conf used. Worker threads share the work; DIR2
appears only when complete, and a rerun continues a killed run or skips a finished one.

  --data DIR           Kaldi data dir whose wav.scp lists WAV or FLAC files (and utt2spk, text)
  --librispeech SRC    a LibriSpeech subset folder (<reader>/<chapter>/<reader>-<chapter>-<utt>.flac
                       and <reader>-<chapter>.trans.txt); speakers are <reader>-<chapter>
  --out DIR2           output data dir
  --fbank-config FILE  Kaldi fbank options (--num-mel-bins=40 lines; default DIR/conf/fbank.conf,
                       DIR/fbank.conf or DIR/../{,conf/}fbank.conf, else --num-mel-bins=40)
  --compress false     write uncompressed (FM) features (default true: CM, as make_fbank.sh)
  --allow-pipes        run 'cmd |' entries of wav.scp (e.g. sph2pipe for WSJ's SPHERE files)
  --lexicon cmudict|FILE  write DIR2/../lang/{lexicon.txt,units.txt} (cmudict: the CMU Pronouncing
                       Dictionary, stress removed, 39 phones and SIL; default cmudict with
                       --librispeech) and list transcript words not in it in DIR2/oov.txt
  --workers N          worker threads (default: the available cores)
  --speed-perturb F,F  instead write DIR's copy at each speed factor (ids sp0.9-<utt>)
  --seed N             dither seed (default 0)
  --json               print the summary as one JSON line`,
  experiment: `Usage: stnas experiment --plan plan.json --out DIR [--jobs N] [--queue redis://...] [--json]

Runs a plan (see docs/experiments.md): a warmup per search seed, a search per seed and estimator,
a retrain of every searched, random and baseline architecture per retrain seed (identical
architectures once per seed), and a decode of the test set per retrain; each job in DIR/jobs/<id>,
resuming from its checkpoint. A rerun repeats no finished job. Then writes DIR/results.json (groups
with mean and sd of test PER, paired bootstrap CIs of searched against each group) and
DIR/report.html.

  --plan FILE          the plan (paths resolve against its folder; data defaults to the bundled corpus)
  --out DIR            experiment directory
  --jobs N             local pool size (default: cores / the plan's threadsPerJob)
  --queue URL          redis://[:password@]host:port[/db] or rediss://...: enqueue a BullMQ flow for
                       'stnas worker' processes instead of running a local pool (exit 5 when Redis
                       cannot be reached). rediss:// is TLS; trust a private CA with
                       NODE_EXTRA_CA_CERTS=ca.pem in the environment`,
  worker: `Usage: stnas worker --queue redis://host:port [--concurrency 1] [--stalled-ms 30000]

Runs experiment jobs from the queue, each as a child process in the experiment's directory, which
must be visible at the same path on every machine. A job whose worker died goes to another worker
after --stalled-ms and resumes from its checkpoint. Stops on SIGINT or SIGTERM. Exit 5 when Redis
cannot be reached.

  --queue URL          redis:// or rediss:// URL (the password is never printed); for a TLS
                       server with a private CA, set NODE_EXTRA_CA_CERTS=ca.pem
  --concurrency N      jobs at once (default 1; one worker per GPU)
  --stalled-ms MS      BullMQ lock duration and stalled-job check interval (default 30000)`,
  'experiment-job': `Usage: stnas experiment-job --out DIR --id ID

Internal: runs one job of an experiment in this process (what the pool and the workers start).`,
  doctor: `Usage: stnas doctor [--backend auto|tensorflow|wasm|cpu] [--blas auto|off] [--json]

Selects a compute backend exactly as training would and prints what it found. Exits 0 when a
backend runs; non-zero with one line when the requested backend cannot be loaded.`,
};
