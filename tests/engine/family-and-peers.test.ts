import { describe, expect, it } from "vitest";
import { decideAlert } from "../../src/alerts/policy.ts";
import { DEFAULT_SETTINGS } from "../../src/config/settings.ts";
import { addressesFamily } from "../../src/engine/address.ts";
import { loadModel, normalize, RiskEngine } from "../../src/engine/index.ts";
import type { ChatMessage } from "../../src/types.ts";
import { dm } from "./chat.ts";

const model = loadModel();

/** Does any message of the chat alert on `actor` (default settings, one case memory)? */
function alertsOn(msgs: ChatMessage[], actor = "a", engine = new RiskEngine(model)): boolean {
  let alerted = false;
  for (const m of msgs) {
    const top = engine.observe(m).top;
    if (top && top.subject.actor === actor && decideAlert(top, null, DEFAULT_SETTINGS, m.ts).alert) alerted = true;
  }
  return alerted;
}

describe("addressesFamily: the other person called mom, dad, grandma…", () => {
  const addressed = [
    "mom can you pick me up", "Mom, can I go to Sam's?", "thx dad", "grandma im 10", "ok papa", "love you mom", "12 auntie lol", "hi grandpa", "mom?",
    "ja ma", "oma ik ben 9", "mama mag ik naar buiten", "ok papa", "dankje opa", "hoi tante", "nee mam", "bomma kzen thuis",
  ];
  const talkedAbout = [
    "mom says i cant", "my mom is home", "dont tell your mom", "i live with my dad", "dad will kill me lol", "i have to ask my mom",
    "ma ik weet het niet", "mama zegt nee", "ik woon bij mijn papa", "zeg niks tegen mama", "oma komt morgen", "pa is boos",
    "its uncle rob", "call me daddy", "whats up", "",
  ];
  it.each(addressed)("addresses family: %s", (text) => expect(addressesFamily(normalize(text))).toBe(true));
  it.each(talkedAbout)("does not address family: %s", (text) => expect(addressesFamily(normalize(text))).toBe(false));
});

// A relative's chat with every grooming word but the intent: an age question, a photo, a pick-up, a secret.
const relative = (answer: string, thanks: string, channel: string): ChatMessage[] =>
  dm(channel, [
    ["a", "hi sweetie! how old are you now?"],
    ["c", answer],
    ["a", "youre so grown up. are you home alone after school?"],
    ["c", thanks],
    ["a", "ill pick you up saturday, dont tell your brother its a surprise ok"],
    ["c", "ok"],
  ]);

describe("family address caps the pair (EN + NL)", () => {
  it("the same chat alerts without the child's address and stays quiet with it (EN)", () => {
    expect(alertsOn(relative("im 10", "yes", "fam-en-1"))).toBe(true);
    expect(alertsOn(relative("grandma im 10", "yes", "fam-en-2"))).toBe(false);
    expect(alertsOn(relative("im 10 grandma lol", "yes", "fam-en-3"))).toBe(false);
  });

  it("the same in Dutch", () => {
    const nl = (answer: string, ch: string) =>
      dm(ch, [
        ["a", "hey schatje hoe oud ben je nu al?"],
        ["c", answer],
        ["a", "ben je alleen thuis na school? ik kom je zaterdag halen, zeg niks tegen je broer"],
        ["c", "ok"],
      ]);
    expect(alertsOn(nl("ik ben 9", "fam-nl-1"))).toBe(true);
    expect(alertsOn(nl("oma ik ben 9", "fam-nl-2"))).toBe(false);
  });

  it("the actor's own family words do not count: a groomer saying 'its uncle rob' still alerts", () => {
    const chat = dm("fam-uncle", [
      ["a", "hey its uncle rob, how old are you now?"],
      ["c", "im 10"],
      ["a", "uncle rob here, are you home alone after school?"],
      ["c", "yes"],
      ["a", "ill pick you up saturday, dont tell your brother ok"],
      ["c", "ok"],
    ]);
    expect(alertsOn(chat)).toBe(true);
  });

  it("in a group, only a reply or a mention says whom the child calls grandma", () => {
    const group = (reply: boolean) =>
      relative("grandma im 10", "yes", `fam-group-${reply}`).map((m, i) => ({
        ...m,
        channelKind: "group" as const,
        ...(reply && i === 1 ? { replyToId: `fam-group-${reply}-m0` } : {}),
      }));
    expect(alertsOn(group(false))).toBe(true);
    expect(alertsOn(group(true))).toBe(false);
  });

  it("talking about mom is not calling the actor mom", () => {
    expect(alertsOn(relative("im 10, mom says i cant talk long", "yes", "fam-about"))).toBe(true);
  });

  it("a threat to expose images alerts whatever the child called the actor", () => {
    const chat = dm("fam-x", [
      ["c", "hi uncle"],
      ["a", "send me more pics or i will show everyone the ones you sent me"],
    ]);
    expect(alertsOn(chat)).toBe(true);
  });

  it("survives a store round trip", () => {
    const first = new RiskEngine(model);
    const msgs = relative("grandma im 10", "yes", "fam-store");
    for (const m of msgs.slice(0, 2)) first.observe(m);
    const saved = first.drainDirty();
    expect(JSON.stringify(saved)).toContain('"fam":["a"]');
    const second = new RiskEngine(model);
    for (const s of saved) second.hydrate(s);
    expect(alertsOn(msgs.slice(2), "a", second)).toBe(false);
  });
});

describe("the peer cap needs ages within two years", () => {
  const peer = (actorAge: string, childAge: string, ch: string) =>
    dm(ch, [
      ["a", `hey ${actorAge} lol. ur really pretty`],
      ["c", "thanks"],
      ["a", "how old r u"],
      ["c", childAge],
      ["a", "add me on snap, dont tell ur mom about me"],
      ["c", "ok"],
      ["a", "wanna meet at the park saturday just us"],
    ]);
  it("a 'fifteen-year-old' with a 12-year-old alerts; a 13-year-old with a 12-year-old is a peer (EN)", () => {
    expect(alertsOn(peer("im 15", "12", "peer-en-1"))).toBe(true);
    expect(alertsOn(peer("im 13", "12", "peer-en-2"))).toBe(false);
  });

  it("the same in Dutch", () => {
    const nl = (actorAge: string, childAge: string, ch: string) =>
      dm(ch, [
        ["a", `hey ${actorAge} hoor. jij bent echt knap`],
        ["c", "dankje"],
        ["a", "hoe oud ben jij"],
        ["c", childAge],
        ["a", "voeg me toe op snap, zeg niks tegen je mama"],
        ["c", "ok"],
        ["a", "zullen we zaterdag afspreken in het park, alleen wij twee"],
      ]);
    expect(alertsOn(nl("ik ben 16", "ik ben 12", "peer-nl-1"))).toBe(true);
    expect(alertsOn(nl("ik ben 13", "ik ben 12", "peer-nl-2"))).toBe(false);
  });
});
