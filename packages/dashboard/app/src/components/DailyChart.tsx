import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface DailySeries {
  key: string;
  color: string;
}

/** Evaluations per day, a line for each series (uPlot: small, and fast on long series). */
export function DailyChart({ days, series, label }: { days: { date: string; counts: Record<string, number> }[]; series: DailySeries[]; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const xs = days.map((d) => Date.parse(`${d.date}T00:00:00Z`) / 1000);
    const data: uPlot.AlignedData = [xs, ...series.map((s) => days.map((d) => d.counts[s.key] ?? 0))];
    const plot = new uPlot(
      {
        width: box.current.clientWidth || 640,
        height: 220,
        series: [{}, ...series.map((s) => ({ label: s.key, stroke: s.color, width: 2, points: { show: true } }))],
        axes: [
          { stroke: 'currentColor', grid: { show: false } },
          { stroke: 'currentColor', grid: { stroke: '#8883' } },
        ],
        scales: { x: { time: true } },
      },
      data,
      box.current,
    );
    return () => plot.destroy();
  }, [days, series]);
  return <div ref={box} className="chart" aria-label={label} role="img" />;
}
