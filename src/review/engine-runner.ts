// The console's window on the engine: a fresh engine per replay (playground, what-if),
// so nothing the console does touches the live pipeline's state. The model is loaded once.
import { loadModel, RiskEngine, type Model } from "../engine/index.ts";
import { HavenError, type Assessment, type ChatMessage } from "../types.ts";

export interface EngineRunner {
  /** Feeds the messages, in order, through a fresh engine and returns one assessment per message. */
  replay(messages: ChatMessage[]): Promise<Assessment[]>;
}

export function createEngineRunner(version?: string): EngineRunner {
  let model: Model | null = null;
  return {
    async replay(messages) {
      try {
        model ??= loadModel(version);
      } catch (err) {
        throw new HavenError(`The risk engine could not be loaded: ${err instanceof Error ? err.message : String(err)}`, "review.engine", "check that models/ is installed");
      }
      const engine = new RiskEngine(model);
      return messages.map((msg) => engine.observe(msg));
    },
  };
}
