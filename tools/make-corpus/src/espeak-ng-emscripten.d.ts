// The emscripten build ships no types: its default export is the async module factory.
declare module '@echogarden/espeak-ng-emscripten' {
  const factory: (moduleArg?: object) => Promise<unknown>;
  export default factory;
}
