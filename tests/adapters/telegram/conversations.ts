// Test conversations for the Telegram end-to-end tests: non-explicit, warning-sign phrases
// only. "s" is the adult suspect, "t" the child; the grooming one escalates
// trust → age/school → secrecy and a move to private → alone? → photo request.
export type Line = { who: "s" | "t" | "o"; text: string; reply?: boolean };

export const GROOMING: Line[] = [
  { who: "s", text: "wow your drawings are amazing, you are so talented, way better than the others here" },
  { who: "t", text: "thanks!! i practice every day" },
  { who: "s", text: "you seem really mature for your age. how old are you? what school do you go to?", reply: true },
  { who: "t", text: "im 12, i go to the middle school near the park", reply: true },
  { who: "s", text: "cool. you can trust me, i understand you better than your parents do", reply: true },
  { who: "s", text: "lets talk in private, message me directly. dont tell your parents about our chats, its our secret", reply: true },
  { who: "t", text: "ok i guess", reply: true },
  { who: "s", text: "are you home alone right now? are your parents around?", reply: true },
  { who: "t", text: "yeah my mom is at work", reply: true },
  { who: "s", text: "send me a photo of yourself, just for me. delete our chat after", reply: true },
];

export const BENIGN: Line[] = [
  { who: "o", text: "anyone up for the raid tonight at 8?" },
  { who: "t", text: "me! i finally got the new sword" },
  { who: "o", text: "nice, bring potions this time lol" },
  { who: "t", text: "ok. did anyone finish the math homework" },
  { who: "o", text: "page 42 was hard, the second question especially" },
];
