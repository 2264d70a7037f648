import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Overview } from '../api.js';

const series = [
  { verdict: 'allow', color: '#16a34a' },
  { verdict: 'challenge', color: '#d97706' },
  { verdict: 'deny', color: '#dc2626' },
  { verdict: 'suspend', color: '#7c3aed' },
];

/** Evaluations per day by verdict (uPlot: small, and fast on long series). */
export function VerdictChart({ days }: { days: Overview['days'] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const xs = days.map((d) => Date.parse(`${d.date}T00:00:00Z`) / 1000);
    const data: uPlot.AlignedData = [xs, ...series.map((s) => days.map((d) => d.verdicts[s.verdict] ?? 0))];
    const plot = new uPlot(
      {
        width: box.current.clientWidth || 640,
        height: 220,
        series: [{}, ...series.map((s) => ({ label: s.verdict, stroke: s.color, width: 2, points: { show: true } }))],
        axes: [{ stroke: 'currentColor', grid: { show: false } }, { stroke: 'currentColor', grid: { stroke: '#8883' } }],
        scales: { x: { time: true } },
      },
      data,
      box.current,
    );
    return () => plot.destroy();
  }, [days]);
  return <div ref={box} className="chart" aria-label="Evaluations per day by verdict" role="img" />;
}
