// The idle trigger of the gocron corpus suite: two jobs that each sleep
// SECONDS (default 1), with one allowed to run at a time in WaitMode. Both
// are due at once; the second waits for the first's slot, runs, and the
// program ends after about twice SECONDS, having only slept. In gocron
// v1.17.0 the waiting job calls the semaphore's TryAcquire in a loop without
// blocking (a core busy for as long as it waits); v1.17.1 blocks in Acquire.
package main

import (
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/go-co-op/gocron"
)

func main() {
	secs := 1.0
	if len(os.Args) > 1 {
		v, err := strconv.ParseFloat(os.Args[1], 64)
		if err != nil || v <= 0 {
			os.Stderr.WriteString("usage: trigger [SECONDS]\n")
			os.Exit(2)
		}
		secs = v
	}
	job := time.Duration(secs * float64(time.Second))

	var done sync.WaitGroup
	done.Add(2)
	s := gocron.NewScheduler(time.UTC)
	s.SetMaxConcurrentJobs(1, gocron.WaitMode)
	for i := 0; i < 2; i++ {
		if _, err := s.Every(1).Hour().Do(func() {
			time.Sleep(job)
			done.Done()
		}); err != nil {
			os.Stderr.WriteString("trigger: " + err.Error() + "\n")
			os.Exit(1)
		}
	}
	s.StartAsync()
	done.Wait()
	s.Stop()
}
