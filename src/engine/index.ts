// The engine's public face: load a model, run messages through a RiskEngine, persist its state.
export { RiskEngine, type EngineOptions, type ObserveOptions } from "./engine.ts";
export { loadModel, defaultModelsDir, type Model, type Scoring } from "./model.ts";
export { normalize } from "./normalize.ts";
export type { PersistedState, StateKind } from "./state.ts";
