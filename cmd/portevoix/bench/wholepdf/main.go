// Command wholepdf times `portevoix pdf ID -o FILE` against headless Chromium printing the
// same communiqué's preview page to an A4 PDF, both as whole processes, in alternated
// rounds, and prints the medians with their spread and the ratio. pdf.sh runs it; it is
// not part of the tests.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"portevoix/storage"
	"portevoix/templates"
)

func main() {
	bin := flag.String("bin", "", "the portevoix binary to time")
	data := flag.String("data", "", "the data folder holding the base")
	id := flag.Uint64("id", 1, "the communiqué to print")
	rounds := flag.Int("rounds", 21, "alternated rounds")
	chromium := flag.String("chromium", "chromium", "the Chromium binary")
	fresh := flag.Bool("fresh-profile", false, "give Chromium a new profile for each run")
	also := flag.String("also", "", "another portevoix binary (an earlier build, say) to time in the same rounds")
	flag.Parse()
	log.SetFlags(0)
	dir, err := os.MkdirTemp("", "wholepdf")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	page := filepath.Join(dir, "communique.html")
	if err := os.WriteFile(page, previewPage(*data, *id), 0o600); err != nil {
		log.Fatal(err)
	}
	ours := exec.Command(*bin, "pdf", strconv.FormatUint(*id, 10), "-o", filepath.Join(dir, "portevoix.pdf"), "--data", *data)
	// By default one profile serves every round, created by an untimed first run: Chromium's
	// best case as a process. -fresh-profile gives each run a new one, as a first start.
	profile := filepath.Join(dir, "profile")
	theirs := func(round int) *exec.Cmd {
		if *fresh {
			profile = filepath.Join(dir, "profile"+strconv.Itoa(round))
		}
		return exec.Command(*chromium, "--headless", "--no-sandbox", "--disable-gpu",
			"--disable-background-networking", "--disable-component-update", "--disable-sync",
			"--no-first-run", "--no-pdf-header-footer", "--user-data-dir="+profile,
			"--print-to-pdf="+filepath.Join(dir, "chromium.pdf"), "file://"+page)
	}
	// other is -also's binary, run like ours; nil without -also.
	var other *exec.Cmd
	if *also != "" {
		other = exec.Command(*also, ours.Args[1:]...)
	}
	fmt.Printf("load average before: %s", loadAverage())
	timeRun(ours)
	timeRun(theirs(-1))
	for _, name := range []string{"portevoix.pdf", "chromium.pdf"} {
		fmt.Printf("%s: %s\n", name, pageSize(filepath.Join(dir, name)))
	}
	var a, b, ratios, cpuA, cpuB, o, cpuO, ratiosO []float64
	for i := range *rounds {
		// With -also, the two builds take turns at running first after Chromium.
		var to, co float64
		if other != nil && i%2 == 1 {
			to, co = timeRun(other)
		}
		ta, ca := timeRun(ours)
		if other != nil && i%2 == 0 {
			to, co = timeRun(other)
		}
		tb, cb := timeRun(theirs(i))
		a, b, ratios = append(a, ta), append(b, tb), append(ratios, tb/ta)
		cpuA, cpuB = append(cpuA, ca), append(cpuB, cb)
		if other != nil {
			o, cpuO, ratiosO = append(o, to), append(cpuO, co), append(ratiosO, to/ta)
		}
	}
	fmt.Printf("load average after: %s", loadAverage())
	fmt.Printf("%d alternated rounds\n", *rounds)
	fmt.Printf("portevoix pdf (whole process):      %s\n", summary(a, "ms"))
	fmt.Printf("chromium --print-to-pdf (process, fresh profile %v): %s\n", *fresh, summary(b, "ms"))
	fmt.Printf("ratio of medians: %.0f×; paired ratio: %s\n", median(b)/median(a), summary(ratios, "×"))
	fmt.Printf("CPU time (user + system, with reaped child processes): portevoix %s; chromium %s\n",
		summary(cpuA, "ms"), summary(cpuB, "ms"))
	if other != nil {
		fmt.Printf("-also %s: %s, CPU %s; against chromium: ratio of medians %.0f×; its time over portevoix's, paired: %s\n",
			*also, summary(o, "ms"), summary(cpuO, "ms"), median(b)/median(o), summary(ratiosO, "×"))
	}
}

// previewPage is the communiqué's preview page, as the server serves it.
func previewPage(data string, id uint64) []byte {
	store, err := storage.OpenExisting(data, time.Second)
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	bundle, err := store.CommuniqueBundle(id)
	if err != nil {
		log.Fatal(err)
	}
	doc, err := templates.Compose(templates.InputFromBundle(bundle, bundle.Communique.UpdatedAt))
	if err != nil {
		log.Fatal(err)
	}
	return templates.PreviewPage(doc)
}

// timeRun runs a copy of cmd and returns its wall time and its CPU time (user and system,
// its reaped child processes included) in milliseconds.
func timeRun(cmd *exec.Cmd) (wall, cpu float64) {
	c := exec.Command(cmd.Path, cmd.Args[1:]...)
	var out bytes.Buffer
	c.Stdout, c.Stderr = &out, &out
	start := time.Now()
	err := c.Run()
	elapsed := time.Since(start)
	if err != nil {
		log.Fatalf("%s: %v\n%s", cmd.Path, err, out.Bytes())
	}
	ru := c.ProcessState.SysUsage().(*syscall.Rusage)
	cpuTime := time.Duration(syscall.TimevalToNsec(ru.Utime) + syscall.TimevalToNsec(ru.Stime))
	return float64(elapsed.Microseconds()) / 1000, float64(cpuTime.Microseconds()) / 1000
}

var mediaBox = regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]`)

// pageSize names the paper of the PDF's first page: A4 is 595 × 842 points.
func pageSize(path string) string {
	pdf, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	m := mediaBox.FindSubmatch(pdf)
	if m == nil {
		return "no MediaBox found"
	}
	w, _ := strconv.ParseFloat(string(m[1]), 64)
	h, _ := strconv.ParseFloat(string(m[2]), 64)
	size := fmt.Sprintf("%.0f × %.0f pt", w, h)
	if w > 594 && w < 596.5 && h > 841 && h < 842.5 {
		return size + " (A4)"
	}
	log.Fatalf("%s is not A4: %s", path, size)
	return ""
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown\n"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:3], " ") + "\n"
}

func median(v []float64) float64 {
	s := slices.Sorted(slices.Values(v))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// summary is the median, the quartiles and the extremes of v.
func summary(v []float64, unit string) string {
	s := slices.Sorted(slices.Values(v))
	q := func(p float64) float64 { return s[int(p*float64(len(s)-1)+0.5)] }
	return fmt.Sprintf("median %.1f %s (quartiles %.1f–%.1f, min %.1f, max %.1f)", median(v), unit, q(0.25), q(0.75), s[0], s[len(s)-1])
}
