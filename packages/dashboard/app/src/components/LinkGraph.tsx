import { Fragment } from 'react';
import { type Links, type SharedThing, thingLabel } from '../links.js';
import { Link } from './ui.js';

const SIZE = 560;
const RING = 90;

interface Node {
  key: string;
  angle: number;
  label: string;
  account: boolean;
  layer: number;
  x: number;
  y: number;
  title: string;
}

/**
 * The linked-accounts graph: accounts (circles) and the devices and fingerprints they share (squares),
 * in rings out from the account the page is about. Bipartite on purpose: every edge then *is* the reason
 * ("used this device"), where account-to-account edges would hide it.
 */
export function LinkGraph({ links, projectId }: { links: Links; projectId: string }) {
  const things = new Map<string, SharedThing>(links.shared.map((t) => [`${t.kind}:${t.id}`, t]));
  const neighbours = new Map<string, Set<string>>();
  const connect = (a: string, b: string) => (neighbours.get(a) ?? neighbours.set(a, new Set()).get(a)!).add(b);
  for (const s of links.sightings) {
    connect(`user:${s.user}`, `${s.kind}:${s.thing}`);
    connect(`${s.kind}:${s.thing}`, `user:${s.user}`);
  }
  // Breadth first from the account: its layer is a node's ring; within a ring, nodes follow their parents' angles.
  const layerOf = new Map<string, number>([[`user:${links.user}`, 0]]);
  const angleOf = new Map<string, number>([[`user:${links.user}`, 0]]);
  let ring = [`user:${links.user}`];
  for (let layer = 1; ring.length > 0; layer++) {
    const next: { key: string; parentAngle: number }[] = [];
    for (const key of ring) {
      for (const n of [...(neighbours.get(key) ?? [])].sort()) {
        if (layerOf.has(n)) continue;
        layerOf.set(n, layer);
        next.push({ key: n, parentAngle: angleOf.get(key) ?? 0 });
      }
    }
    next.sort((a, b) => a.parentAngle - b.parentAngle);
    for (const [i, n] of next.entries()) angleOf.set(n.key, (2 * Math.PI * (i + 0.5)) / next.length - Math.PI / 2);
    ring = next.map((n) => n.key);
  }
  const nodes: Node[] = [...layerOf].map(([key, layer]) => {
    const angle = angleOf.get(key) ?? 0;
    const account = key.startsWith('user:');
    const thing = things.get(key);
    const id = key.slice(key.indexOf(':') + 1);
    return {
      key,
      angle,
      layer,
      account,
      x: SIZE / 2 + layer * RING * Math.cos(angle),
      y: SIZE / 2 + layer * RING * Math.sin(angle),
      label: account ? id : thing ? thingLabel(thing) : id,
      title: account ? `account ${id}` : thing ? `${thing.kind} used by ${thing.user_count} accounts, last ${thing.last_seen_at}` : id,
    };
  });
  const at = new Map(nodes.map((n) => [n.key, n]));
  // Fit the picture to what is drawn, labels included (about 6.5 px a character at 11 px).
  const labelOf = (n: Node) => (n.label.length > 22 ? `${n.label.slice(0, 21)}…` : n.label);
  const xs = nodes.flatMap((n) => [n.x - 20 - labelOf(n).length * 6.5, n.x + 20 + labelOf(n).length * 6.5]);
  const ys = nodes.flatMap((n) => [n.y - 30, n.y + 30]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  return (
    <svg
      className="graph"
      viewBox={`${minX} ${minY} ${maxX - minX} ${maxY - minY}`}
      style={{ maxWidth: `${Math.min(maxX - minX, SIZE * 1.4)}px` }}
      aria-label={`Accounts linked to ${links.user}`}
    >
      {links.sightings.map((s) => {
        const a = at.get(`user:${s.user}`);
        const b = at.get(`${s.kind}:${s.thing}`);
        return a && b ? <line key={`${s.user}|${s.kind}|${s.thing}`} x1={a.x} y1={a.y} x2={b.x} y2={b.y} className={`edge ${s.kind}`} /> : null;
      })}
      {nodes.map((n) => {
        const drawn = (
          <g key={n.key} className={`node ${n.account ? 'account' : 'thing'}${n.layer === 0 ? ' root' : ''}`} transform={`translate(${n.x} ${n.y})`} data-node={n.key}>
            <title>{n.title}</title>
            {n.account ? <circle r={n.layer === 0 ? 14 : 10} /> : <rect x={-8} y={-8} width={16} height={16} rx={3} />}
            <Label node={n} text={labelOf(n)} />
          </g>
        );
        // Another account is a link (an SVG <a>) to its own graph: clicked, or reached with the keyboard.
        return n.account && n.layer > 0 ? (
          <Link key={n.key} to={`/dashboard/p/${projectId}/people?user=${encodeURIComponent(n.label)}`}>
            {drawn}
          </Link>
        ) : (
          <Fragment key={n.key}>{drawn}</Fragment>
        );
      })}
    </svg>
  );
}

/** A label outside its ring, so that it stays clear of the edges: beside a node on the sides, under or over one at the top or bottom. */
function Label({ node, text }: { node: Node; text: string }) {
  if (node.layer === 0)
    return (
      <text y={30} textAnchor="middle">
        {text}
      </text>
    );
  const cos = Math.cos(node.angle);
  const sin = Math.sin(node.angle);
  const side = Math.abs(cos) > 0.35;
  const gap = node.account ? 15 : 13;
  return (
    <text x={side ? Math.sign(cos) * gap : 0} y={side ? 4 : sin > 0 ? gap + 10 : -gap} textAnchor={side ? (cos > 0 ? 'start' : 'end') : 'middle'}>
      {text}
    </text>
  );
}
