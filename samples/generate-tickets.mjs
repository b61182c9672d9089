// Generates the sample dataset: short customer-support tickets for a made-up online shop, written for this
// project from the templates below. Deterministic (seeded), so `node samples/generate-tickets.mjs` rewrites
// the same files. A few training lines get a deliberately wrong label, for the label-issues walkthrough.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
let seed = 20261123;
function random() {
  // mulberry32
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
const maybe = (p, text) => (random() < p ? text : '');

const slots = {
  product: ['blender', 'desk lamp', 'running shoes', 'phone case', 'coffee grinder', 'backpack', 'wireless earbuds', 'yoga mat', 'kettle', 'winter jacket', 'monitor stand', 'water bottle', 'office chair', 'hair dryer'],
  order: () => `#${Math.floor(10000 + random() * 89999)}`,
  days: ['two days', 'three days', 'a week', 'ten days', 'over two weeks', 'five days'],
  amount: () => `$${Math.floor(5 + random() * 240)}.${pick(['00', '99', '49', '95'])}`,
  courier: ['the courier', 'the delivery driver', 'the post office', 'the carrier'],
  device: ['iPhone', 'Android phone', 'laptop', 'tablet', 'work computer', 'Chromebook'],
  browser: ['Chrome', 'Firefox', 'Safari', 'Edge'],
  page: ['checkout page', 'order history page', 'wishlist', 'search results', 'product page', 'cart'],
  feature: ['a dark mode', 'gift wrapping', 'saved payment methods for my partner too', 'an option to split payments', 'order tracking by text message', 'a price drop alert', 'a way to export my invoices', 'sorting reviews by date', 'a size guide for every brand'],
};
const fill = (template) => template.replace(/\{(\w+)\}/g, (_, name) => {
  const slot = slots[name];
  return typeof slot === 'function' ? slot() : pick(slot);
});

const openers = ['', '', '', 'Hi, ', 'Hello, ', 'Hi there! ', 'Good morning, ', 'Hey, ', 'Dear support, '];
const closers = ['', '', '', ' Thanks.', ' Thank you!', ' Please help.', ' Any update would be appreciated.', ' Thanks in advance.', ' This is really frustrating.'];

const templates = {
  billing: [
    'I was charged twice for order {order}.',
    'My card was billed {amount} but the total at checkout said less.',
    'Why is there a charge of {amount} on my statement? I did not place an order that day.',
    'The invoice for order {order} shows the wrong VAT number.',
    'I used a discount code but it was not applied and I paid full price.',
    'My payment failed but the money still left my account.',
    'Can you send me a corrected invoice for order {order}? The billing address is wrong.',
    'I keep getting charged a monthly fee I never signed up for.',
    'the price changed between my cart and the payment screen, I paid {amount} instead',
    'There is a pending authorization of {amount} that never went away.',
    'How do I update the credit card on my account? The old one expired.',
    'I was billed for shipping even though my order was over the free shipping limit.',
  ],
  delivery: [
    'My order {order} has not arrived yet, it has been {days}.',
    'Tracking says delivered but there is no package at my door.',
    'Where is my {product}? The tracking has not updated in {days}.',
    '{courier} left my parcel with a neighbour I do not know.',
    'The delivery date keeps moving. Order {order} was supposed to be here {days} ago.',
    'Can I change the delivery address for order {order}? I am moving.',
    'the package arrived but the box was crushed and the {product} is damaged',
    'Only half of my order arrived, the {product} is missing.',
    'Is it possible to get express shipping on an order I already placed?',
    'My parcel is stuck at the depot according to {courier}.',
    'I got someone else\'s package instead of my {product}.',
    'Do you deliver to PO boxes? My order {order} was returned to you.',
  ],
  account_access: [
    'I cannot log in to my account, it says my password is wrong.',
    'The password reset email never arrives.',
    'My account got locked after too many attempts.',
    'I no longer have access to the email address on my account. How can I change it?',
    'The two-factor code is not being sent to my phone.',
    'i think someone else logged into my account, there is an order I did not make',
    'I forgot which email I used to sign up.',
    'Login keeps looping back to the sign-in page on my {device}.',
    'Please delete my account and all my personal data.',
    'I signed up with Google and now I cannot set a normal password.',
    'The verification link in the sign-up email says it has expired.',
    'How do I change the phone number used for login codes?',
  ],
  bug_report: [
    'The {page} is blank when I open it in {browser}.',
    'The app crashes every time I open the {page} on my {device}.',
    'When I click pay nothing happens, the button just spins.',
    'Images on the {page} do not load.',
    'The search returns no results even for products I know you sell.',
    'the site shows an error 500 when I try to add the {product} to my cart',
    'Your app logs me out every few minutes on my {device}.',
    'The quantity field resets to 1 whenever I change the size.',
    'Prices on the {page} show in the wrong currency.',
    'The filter on the {page} ignores the size I select.',
    'Push notifications are sent three times for every message.',
    'The page layout is broken on my {device}, the buttons overlap.',
  ],
  refund: [
    'I returned the {product} {days} ago and still have not received my refund.',
    'I would like a refund for order {order}, the {product} does not work.',
    'How long does a refund take to show on my card?',
    'The {product} is not what I expected, can I send it back for my money?',
    'You refunded {amount} but I paid more than that.',
    'I cancelled order {order} before it shipped, when will I get my money back?',
    'the {product} broke after one week and I want my money back',
    'Can I get a refund to a different card? The original one is closed.',
    'I need a return label for the {product} so I can get a refund.',
    'My refund was approved but nothing arrived in my account.',
    'I was promised a partial refund for the late delivery, where is it?',
    'Can I return an item bought on sale and get a full refund?',
  ],
  feature_request: [
    'It would be great if you added {feature}.',
    'Please consider adding {feature} to the app.',
    'Any plans for {feature}? I would use it all the time.',
    'Suggestion: {feature} would make shopping much easier.',
    'I wish the site had {feature}.',
    'could you add {feature}, other shops already have it',
    'Would love to see {feature} in a future update.',
    'Feature idea: {feature}.',
    'Is {feature} on your roadmap?',
    'My team would buy more if you offered {feature}.',
    'Small request: {feature} please.',
    'Have you thought about {feature}? It is the one thing I miss.',
  ],
};
const labels = Object.keys(templates);

// Real tickets often mention a second topic; the label stays the main one, which makes the task less trivial.
const asides = ['Also, ', 'On top of that, ', 'Unrelated, but ', 'And by the way, '];

function ticket(label) {
  let text = `${pick(openers)}${fill(pick(templates[label]))}`;
  if (random() < 0.15) {
    const other = pick(labels.filter((l) => l !== label));
    const aside = fill(pick(templates[other]));
    // "My order" → "my order", but "I cannot" stays.
    const lower = /^[A-Z][a-z]/.test(aside) ? `${aside.charAt(0).toLowerCase()}${aside.slice(1)}` : aside;
    text += ` ${pick(asides)}${lower}`;
  }
  text += pick(closers);
  text += maybe(0.12, ` My order number is ${slots.order()}.`);
  if (random() < 0.05) text = text.toLowerCase();
  return text.trim();
}

function generate(perLabel, wrongLabels) {
  const rows = [];
  for (const label of labels) for (let i = 0; i < perLabel; i++) rows.push({ text: ticket(label), label });
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  // Mislabel a few lines (a plausible slip: the next category in the list).
  for (let i = 0; i < wrongLabels; i++) {
    const row = rows[Math.floor(random() * rows.length)];
    row.label = labels[(labels.indexOf(row.label) + 1) % labels.length];
  }
  return rows;
}

const write = (name, rows) => writeFileSync(join(here, name), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
write('support-tickets-train.jsonl', generate(60, 8));
write('support-tickets-validation.jsonl', generate(15, 0));
write('support-tickets-test.jsonl', generate(15, 0));
