// Bar charts of the manager screen with Chart.js, registering only the bar controller and what it draws (tree-shaken).
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip, type ChartConfiguration } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

/** What one bar chart shows. */
export interface Bars {
  labels: string[];
  values: number[];
  /** Bars run left to right (long labels such as categories). */
  horizontal?: boolean;
  /** Tick and tooltip text of a value. */
  format?: (value: number) => string;
  /** Extra tooltip lines of bar `i`. */
  detail?: (i: number) => string[];
  color?: string;
}

/** Draw a bar chart on `canvas`; destroy the returned chart before drawing again. */
export function barChart(canvas: HTMLCanvasElement, bars: Bars): Chart<'bar'> {
  const format = bars.format ?? ((v: number) => v.toLocaleString());
  const valueAxis = {
    beginAtZero: true,
    grid: { color: '#e6e1d6' },
    ticks: { font: { size: 15 }, color: '#5b6b60', callback: (v: string | number) => format(Number(v)), maxTicksLimit: 6 },
  };
  const labelAxis = { grid: { display: false }, ticks: { font: { size: 17 }, color: '#1d2b22', autoSkip: false } };
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels: bars.labels,
      datasets: [{ data: bars.values, backgroundColor: bars.color ?? '#1f7a4d', borderRadius: 6, maxBarThickness: 56 }],
    },
    options: {
      indexAxis: bars.horizontal ? 'y' : 'x',
      // A kiosk repaints nothing while you read it: no animation, and a fixed-height box decides the size.
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: bars.horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
      plugins: {
        tooltip: {
          bodyFont: { size: 16 },
          titleFont: { size: 16 },
          callbacks: {
            label: (item) => format(Number(item.raw)),
            afterLabel: (item) => bars.detail?.(item.dataIndex) ?? [],
          },
        },
      },
    },
  };
  return new Chart(canvas, config);
}
