import { useNow } from "./useNow";

interface NextCheckCountdownProps {
  active: boolean;
  nextCheckAt: number | null;
  paused: boolean;
}

export function NextCheckCountdown({
  active,
  nextCheckAt,
  paused,
}: NextCheckCountdownProps) {
  const now = useNow(1000);

  if (!active) {
    return <>No further checks</>;
  }
  if (paused) {
    return <>Paused while the tab is hidden</>;
  }
  if (nextCheckAt === null) {
    return <>Checking now…</>;
  }
  const seconds = Math.max(0, Math.ceil((nextCheckAt - now) / 1000));
  return <>in {seconds} s</>;
}
