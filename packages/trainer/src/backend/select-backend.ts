// Engine selection lives in @stnas/engine; the trainer's modules import it from here.
export {
  type BackendAttempt,
  type BackendRequest,
  type BackendSelection,
  BackendUnavailableError,
  type SelectOptions,
  selectBackend,
} from '@stnas/engine';
