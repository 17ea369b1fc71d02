import type { HistogramBin } from "../../api/types";
import { formatCount, formatNumber } from "./formatValues";

interface HistogramProps {
  column: string;
  bins: HistogramBin[];
}

const WIDTH = 160;
const HEIGHT = 48;
const GAP = 1;

/** Bars of a numeric column's histogram, as the server binned it. */
export function Histogram({ column, bins }: HistogramProps) {
  const tallest = Math.max(1, ...bins.map((bin) => bin.count));
  const barWidth = WIDTH / Math.max(1, bins.length);
  const first = bins[0];
  const last = bins[bins.length - 1];
  const range =
    first !== undefined && last !== undefined
      ? ` from ${formatNumber(first.lower)} to ${formatNumber(last.upper)}`
      : "";

  return (
    <svg
      className="preview-histogram"
      data-testid={`histogram-${column}`}
      role="img"
      aria-label={`Histogram of ${column}: ${bins.length} bins${range}`}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width={WIDTH}
      height={HEIGHT}
    >
      {bins.map((bin, index) => {
        const height = (bin.count / tallest) * HEIGHT;
        return (
          <rect
            key={index}
            x={index * barWidth}
            y={HEIGHT - height}
            width={Math.max(0, barWidth - GAP)}
            height={height}
          >
            <title>
              {formatNumber(bin.lower)} to {formatNumber(bin.upper)}:{" "}
              {formatCount(bin.count)}
            </title>
          </rect>
        );
      })}
    </svg>
  );
}
