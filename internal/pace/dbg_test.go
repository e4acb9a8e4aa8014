package pace

import (
	"os"
	"strconv"
	"testing"
)

func TestDbg(t *testing.T) {
	vn := os.Getenv("V")
	n, _ := strconv.Atoi(os.Getenv("N"))
	s, _ := strconv.Atoi(os.Getenv("S"))
	for _, v := range simVendors {
		if v.name == vn {
			simDebug = true
			simTrace, _ = strconv.Atoi(os.Getenv("T"))
			r := simulate(v, n, false, uint64(s))
			simDebug = false
			t.Log(r)
		}
	}
}
