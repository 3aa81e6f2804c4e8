export { FakeBotApi, type ApiCall, type AdminRights, type FakeBotApiOptions, type InjectedError, type SendOptions } from "./server.ts";
export { waitFor } from "./waitFor.ts";
