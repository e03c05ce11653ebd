// eSpeak NG (GPL-3.0) compiled to WebAssembly; only this private generator depends on it.
import Module from '@echogarden/espeak-ng-emscripten';

/** eSpeak NG's output rate. */
export const ESPEAK_RATE = 22050;

/** A loaded synthesiser: speak one sentence with a voice, rate and pitch as 16-bit samples at 22.05 kHz. */
export interface Synthesizer {
  speak(text: string, voice: string, rate: number, pitch: number): Int16Array;
}

/** Loads the eSpeak NG wasm module (its data file sits beside its JS file). */
export async function loadSynthesizer(): Promise<Synthesizer> {
  // biome-ignore lint/suspicious/noExplicitAny: the emscripten module ships no types
  const m: any = await Module();
  const worker = new m.eSpeakNGWorker();
  const rate = worker.get_samplerate();
  if (rate !== ESPEAK_RATE) throw new Error(`espeak: expected ${ESPEAK_RATE} Hz output, got ${rate}`);
  return {
    speak(text, voice, wpm, pitch) {
      const status = worker.set_voice(voice);
      if (status !== 0)
        throw new Error(`espeak: set_voice(${JSON.stringify(voice)}) failed with status ${status}`);
      worker.set_rate(wpm);
      worker.set_pitch(pitch);
      const chunks: Int16Array[] = [];
      worker.synthesize(text, (samples: Int16Array) => {
        chunks.push(samples.slice());
        return 0;
      });
      const total = chunks.reduce((n, c) => n + c.length, 0);
      if (total === 0) throw new Error(`espeak: no audio for ${JSON.stringify(text)} with ${voice}`);
      const out = new Int16Array(total);
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.length;
      }
      return out;
    },
  };
}
