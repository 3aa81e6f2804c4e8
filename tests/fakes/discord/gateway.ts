// The fake gateway: HELLO, IDENTIFY/READY/GUILD_CREATE, heartbeats, RESUME with replay of
// missed dispatches, INVALID_SESSION, and dispatches routed to the shard owning a guild.
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer } from "ws";
import type { World } from "./world.ts";

export const Op = { Dispatch: 0, Heartbeat: 1, Identify: 2, Resume: 6, Reconnect: 7, InvalidSession: 9, Hello: 10, HeartbeatAck: 11 } as const;
export const Intents = { Guilds: 1 << 0, GuildMembers: 1 << 1, GuildMessages: 1 << 9, MessageContent: 1 << 15 } as const;

interface Dispatch {
  s: number;
  t: string;
  d: Record<string, unknown>;
}

export interface GatewaySession {
  id: string;
  shard: [number, number];
  intents: number;
  seq: number;
  /** Every dispatch sent in this session, so a RESUME can replay what was missed. */
  log: Dispatch[];
  socket: WebSocket | null;
  /** False once the fake decided this session cannot be resumed. */
  resumable: boolean;
}

export interface ReceivedOp {
  op: number;
  d: unknown;
  sessionId: string | null;
}

export class FakeGateway {
  readonly sessions = new Map<string, GatewaySession>();
  /** Every payload clients sent, for assertions (identify count, resumes, heartbeats). */
  readonly received: ReceivedOp[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();

  constructor(
    private readonly world: World,
    private readonly opts: { token: string; heartbeatInterval: number; baseUrl: () => string; privilegedIntents: number },
  ) {}

  get url(): string {
    return `${this.opts.baseUrl().replace(/^http/, "ws")}/gateway`;
  }

  get resumeUrl(): string {
    return `${this.opts.baseUrl().replace(/^http/, "ws")}/gateway-resume`;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname !== "/gateway" && url.pathname !== "/gateway-resume") {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, url));
  }

  private onConnection(ws: WebSocket, url: URL): void {
    this.sockets.add(ws);
    ws.on("close", () => this.sockets.delete(ws));
    ws.on("error", () => this.sockets.delete(ws));
    // Haven asks for plain JSON; anything else would need ETF or zlib, which the fake does not speak.
    if (url.searchParams.get("encoding") !== "json" || url.searchParams.has("compress") || url.searchParams.get("v") !== "10") {
      ws.close(4002, "fake discord: only v=10&encoding=json without compression");
      return;
    }
    let session: GatewaySession | null = null;
    ws.on("message", (raw) => {
      let payload: { op?: number; d?: unknown };
      try {
        payload = JSON.parse(raw.toString()) as { op?: number; d?: unknown };
      } catch {
        ws.close(4002, "Error while decoding payload.");
        return;
      }
      this.received.push({ op: payload.op ?? -1, d: payload.d, sessionId: session?.id ?? null });
      switch (payload.op) {
        case Op.Heartbeat:
          send(ws, { op: Op.HeartbeatAck, d: null });
          break;
        case Op.Identify:
          if (session) return ws.close(4005, "Already authenticated.");
          session = this.identify(ws, payload.d as IdentifyData);
          break;
        case Op.Resume:
          if (session) return ws.close(4005, "Already authenticated.");
          session = this.resume(ws, payload.d as ResumeData);
          break;
        default:
          ws.close(4001, "Unknown opcode.");
      }
    });
    send(ws, { op: Op.Hello, d: { heartbeat_interval: this.opts.heartbeatInterval } });
  }

  private identify(ws: WebSocket, d: IdentifyData): GatewaySession | null {
    if (d?.token !== this.opts.token) {
      ws.close(4004, "Authentication failed.");
      return null;
    }
    // Privileged intents the application has not enabled in the Developer Portal: Discord closes with 4014.
    const privileged = Intents.GuildMembers | Intents.MessageContent;
    if ((Number(d.intents ?? 0) & privileged & ~this.opts.privilegedIntents) !== 0) {
      ws.close(4014, "Disallowed intent(s).");
      return null;
    }
    const shard: [number, number] = Array.isArray(d.shard) ? [d.shard[0], d.shard[1]] : [0, 1];
    const session: GatewaySession = {
      id: randomBytes(16).toString("hex"),
      shard,
      intents: Number(d.intents ?? 0),
      seq: 0,
      log: [],
      socket: ws,
      resumable: true,
    };
    this.sessions.set(session.id, session);
    ws.on("close", () => {
      if (session.socket === ws) session.socket = null;
    });
    const guilds = [...this.world.guilds.values()].filter((g) => this.owns(session, g.id));
    this.dispatchTo(session, "READY", {
      v: 10,
      user: { ...this.world.apiUser(this.world.botUser), verified: true, mfa_enabled: false, flags: 0, email: null },
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.resumeUrl,
      shard,
      application: { id: this.world.applicationId, flags: 0 },
      user_settings: {},
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      _trace: ["fake-discord"],
    });
    for (const guild of guilds) this.dispatchTo(session, "GUILD_CREATE", this.world.apiGuild(guild));
    return session;
  }

  private resume(ws: WebSocket, d: ResumeData): GatewaySession | null {
    const session = d?.session_id ? this.sessions.get(d.session_id) : undefined;
    if (d?.token !== this.opts.token) {
      ws.close(4004, "Authentication failed.");
      return null;
    }
    if (!session || !session.resumable) {
      send(ws, { op: Op.InvalidSession, d: false });
      return null;
    }
    session.socket = ws;
    ws.on("close", () => {
      if (session.socket === ws) session.socket = null;
    });
    for (const missed of session.log.filter((e) => e.s > Number(d.seq ?? 0))) send(ws, { op: Op.Dispatch, ...missed });
    this.dispatchTo(session, "RESUMED", {});
    return session;
  }

  /** Whether a session's shard receives a guild's events (Discord's (guild_id >> 22) % num_shards). */
  owns(session: GatewaySession, guildId: string): boolean {
    const [id, count] = session.shard;
    return Number((BigInt(guildId) >> 22n) % BigInt(count)) === id;
  }

  private dispatchTo(session: GatewaySession, t: string, d: Record<string, unknown>): void {
    session.seq += 1;
    const event: Dispatch = { s: session.seq, t, d };
    session.log.push(event);
    // A session without a socket keeps the event for its RESUME.
    if (session.socket) send(session.socket, { op: Op.Dispatch, ...event });
  }

  /** Sends a guild event to every live session that owns the guild and asked for the intent. */
  dispatchGuildEvent(guildId: string, t: string, d: Record<string, unknown>, intent: number): void {
    for (const session of this.sessions.values()) {
      if (!session.resumable || !this.owns(session, guildId)) continue;
      if ((session.intents & intent) === 0) continue;
      let data = d;
      // Without the privileged Message Content intent Discord blanks the content.
      if (t.startsWith("MESSAGE_") && "content" in d && (session.intents & Intents.MessageContent) === 0) {
        data = { ...d, content: "", embeds: [], attachments: [], components: [] };
      }
      this.dispatchTo(session, t, data);
    }
  }

  /** Drops every connection abnormally (code 1006), as a network failure would. With resumable false the sessions die too. */
  dropConnections(opts: { resumable: boolean }): void {
    for (const session of this.sessions.values()) {
      if (!opts.resumable) session.resumable = false;
      session.socket = null;
    }
    for (const ws of this.sockets) ws.terminate();
  }

  /**
   * Sends a frame as is to every connected client, for hostile-input tests: a payload Discord
   * would never send (not JSON, unknown opcode, a dispatch with a made-up shape).
   */
  sendRaw(frame: string): void {
    for (const ws of this.sockets) if (ws.readyState === WebSocket.OPEN) ws.send(frame);
  }

  /** A dispatch with any `t` and `d`, sequenced like a real one, to every live session owning the guild (no intent filter). */
  dispatchUnchecked(guildId: string, t: string, d: unknown): void {
    for (const session of this.sessions.values()) {
      if (session.resumable && this.owns(session, guildId)) this.dispatchTo(session, t, d as Record<string, unknown>);
    }
  }

  /** Asks clients to reconnect and resume (opcode 7), as Discord does during maintenance. */
  requestReconnect(): void {
    for (const ws of this.sockets) send(ws, { op: Op.Reconnect, d: null });
  }

  liveSessions(): GatewaySession[] {
    return [...this.sessions.values()].filter((s) => s.resumable && s.socket?.readyState === WebSocket.OPEN);
  }

  close(): void {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
  }
}

interface IdentifyData {
  token?: string;
  intents?: number;
  shard?: [number, number];
}

interface ResumeData {
  token?: string;
  session_id?: string;
  seq?: number;
}

function send(ws: WebSocket, payload: Record<string, unknown>): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(payload));
}
