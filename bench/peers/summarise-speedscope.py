#!/usr/bin/env python3
"""Summarises a speedscope file written by `dotnet-trace collect --profile dotnet-sampled-thread-time --format Speedscope`.

The thread-time profile samples every thread (~100 Hz) whether it runs or waits; TraceEvent marks each sample's leaf
as CPU_TIME (managed code running) or UNMANAGED_CODE_TIME (native: a syscall, or a wait). Time spent under a known
wait (thread-pool idle, epoll, Monitor.Wait, a sleeping timer thread) is dropped; the rest is "busy" time, ranked by
inclusive and exclusive (deepest named frame) share. Bench only.

usage: summarise-speedscope.py FILE.speedscope.json [top=30] [--under FRAME-SUBSTRING] [filter-substring ...]
  --under keeps only the samples whose stack holds a frame containing the substring (one command's path), and gives
  shares of that time.
"""
import collections
import json
import sys

WAITS = (
    'LowLevelLifoSemaphore.WaitForSignal', 'LowLevelLifoSemaphore.WaitNative', 'WaitHandle.Wait', 'Monitor.Wait',
    'SocketAsyncEngine.EventLoop', 'Thread.Sleep', 'WaitSubsystem', 'LowLevelMonitor.Wait', 'TimerQueue.TimerThread',
    'ManualResetEventSlim.Wait', 'SemaphoreSlim.Wait', 'Thread.Join', 'ConsoleLoggerProcessor.ProcessLogQueue',
    'BlockingCollection', 'PortableThreadPool.GateThread', 'WaitOneCore', 'Task.SpinThenBlockingWait',
    'FileSystemWatcher+RunningInstance.TryReadEvent', 'GC.RunFinalizers', 'Interop+Sys.WaitForSocketEvents',
)
# A thread held at a GC safe point while the GC runs: not its own CPU, but a measure of GC pauses.
GC_HOLD = ('PollGCWorker', 'Buffers.Utilities.GetMemoryPressure')


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    filters = sys.argv[3:]
    under = None
    if '--under' in filters:
        at = filters.index('--under')
        under = filters[at + 1]
        filters = filters[:at] + filters[at + 2:]
    data = json.load(open(path))
    frames = [f['name'] for f in data['shared']['frames']]
    inclusive = collections.Counter()
    exclusive = collections.Counter()
    busy = waited = held = 0.0
    managed = unmanaged = 0.0
    for profile in data['profiles']:
        stack, last = [], None
        for event in profile['events']:
            at = event['at']
            if last is not None and stack and at > last:
                width = at - last
                names = [frames[i] for i in stack]
                if under is not None and not any(under in n for n in names):
                    pass
                elif any(w in n for n in names for w in WAITS):
                    waited += width
                elif any(g in names[-2] for g in GC_HOLD if len(names) > 1):
                    held += width
                else:
                    busy += width
                    if names[-1] == 'CPU_TIME':
                        managed += width
                    else:
                        unmanaged += width
                    named = [n for n in names if n not in ('CPU_TIME', 'UNMANAGED_CODE_TIME')]
                    for n in set(named):
                        inclusive[n] += width
                    if named:
                        exclusive[named[-1]] += width
            last = at
            if event['type'] == 'O':
                stack.append(event['frame'])
            else:
                # Close the frame (and anything above it, should the file close out of order).
                if event['frame'] in stack:
                    del stack[stack.index(event['frame']):]
    print(f'{path}: busy {busy / 1000:.1f} s (managed {managed / 1000:.1f} s, native {unmanaged / 1000:.1f} s), waiting {waited / 1000:.1f} s, held for GC {held / 1000:.1f} s')

    def show(title, counter):
        print(f'\n{title} (share of busy time)')
        shown = 0
        for name, width in counter.most_common():
            if filters and not any(f in name for f in filters):
                continue
            print(f'{100 * width / busy:6.1f}%  {name[:160]}')
            shown += 1
            if shown >= top:
                break

    show('inclusive', inclusive)
    show('exclusive', exclusive)


if __name__ == '__main__':
    main()
