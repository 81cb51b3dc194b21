package transfer

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"unicode/utf16"
)

const importHeaderLine = "given_name,family_name,date_of_birth,phone,email,notes\n"

func goodRow(i int) string {
	return fmt.Sprintf("Given%s,Family,1990-01-%02d,+44 20 7946 %04d,c%d@example.com,\"note, %d\"\n",
		strings.Repeat("a", i%7), i%28+1, i%10000, i, i)
}

// TestAnUnterminatedQuoteSwallowsNoRows: issue 19 found one unterminated
// quote swallowing the next 1,000 rows ("imported 1 clients; 1 rows
// refused"). Only its own line is refused; the rows after it come in.
func TestAnUnterminatedQuoteSwallowsNoRows(t *testing.T) {
	var b strings.Builder
	b.WriteString(importHeaderLine)
	b.WriteString(goodRow(0))
	b.WriteString("Ann,Lee,1990-01-01,+44 20 7946 0000,,\"never closed\n") // line 3
	for i := 1; i <= 1000; i++ {
		b.WriteString(goodRow(i))
	}
	good, bad, err := ParseClientsCSV(strings.NewReader(b.String()), today)
	if err != nil {
		t.Fatal(err)
	}
	if len(good) != 1001 || len(bad) != 1 || bad[0].Line != 3 || !strings.Contains(bad[0].Reason, "quotes") {
		t.Fatalf("%d good rows and %v; want 1001 and line 3 refused", len(good), bad)
	}
	if good[1].Line != 4 || good[1001-1].Line != 1003 {
		t.Errorf("good rows from line %d to %d; want 4 to 1003", good[1].Line, good[1000].Line)
	}
}

// TestEveryLineIsAccounted: imported + refused + blank rows cover every
// data line, multi-line rows by their span.
func TestEveryLineIsAccounted(t *testing.T) {
	in := importHeaderLine + goodRow(1) + "\n" + "x,\"a\"b,1990-01-01,,,\n" + "Multi,Line,1990-01-01,+44 20 7946 0001,,\"one\ntwo\nthree\"\n" +
		"Bad\"Quote,X,1990-01-01,,,\n" + goodRow(2) + "\"open,X,1990-01-01,+44 20 7946 0002,,\n" + goodRow(3)
	c, err := NewClientCSV(strings.NewReader(in), today, CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	covered := map[int]bool{}
	var spans []string
	for {
		row, err := c.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for l := row.Line; l <= row.EndLine; l++ {
			if covered[l] {
				t.Errorf("line %d read twice", l)
			}
			covered[l] = true
		}
		spans = append(spans, fmt.Sprintf("%d-%d:%v/%d", row.Line, row.EndLine, row.Blank, len(row.Problems)))
	}
	lines := strings.Count(in, "\n")
	for l := 2; l <= lines; l++ {
		if !covered[l] {
			t.Errorf("line %d is in no row: %v", l, spans)
		}
	}
	want := "2-2:false/0 3-3:true/0 4-4:false/1 5-7:false/0 8-8:false/1 9-9:false/0 10-10:false/1 11-11:false/0"
	if got := strings.Join(spans, " "); got != want {
		t.Errorf("rows %s\nwant %s", got, want)
	}
}

func TestBOMBeforeAQuotedHeader(t *testing.T) {
	in := "\ufeff\"given_name\",\"family_name\",\"date_of_birth\",\"phone\",\"email\",\"notes\"\r\n" + strings.ReplaceAll(goodRow(1), "\n", "\r\n")
	good, bad, err := ParseClientsCSV(strings.NewReader(in), today)
	if err != nil || len(good) != 1 || len(bad) != 0 {
		t.Fatalf("BOM and quoted header: %d good, %v, %v", len(good), bad, err)
	}
}

func utf16Bytes(s string, big bool) []byte {
	var order binary.ByteOrder = binary.LittleEndian
	bom := []byte{0xFF, 0xFE}
	if big {
		order, bom = binary.BigEndian, []byte{0xFE, 0xFF}
	}
	out := bytes.NewBuffer(bom)
	for _, u := range utf16.Encode([]rune(s)) {
		_ = binary.Write(out, order, u)
	}
	return out.Bytes()
}

func TestUTF16WithItsByteOrderMarkIsRead(t *testing.T) {
	text := importHeaderLine + "Zoë,王,1990-03-14,+44 20 7946 0958,zoe@example.com,\"😀 notes\"\r\n"
	for _, big := range []bool{false, true} {
		good, bad, err := ParseClientsCSV(bytes.NewReader(utf16Bytes(text, big)), today)
		if err != nil || len(good) != 1 || len(bad) != 0 || good[0].Client.FamilyName != "王" || good[0].Client.Notes != "😀 notes" {
			t.Errorf("UTF-16 (big-endian %v): %+v %v %v", big, good, bad, err)
		}
	}
}

func TestUnsupportedEncodingsAreNamedPlainly(t *testing.T) {
	for name, c := range map[string]struct {
		in   []byte
		want string
	}{
		"UTF-16 without a mark": {utf16Bytes(importHeaderLine, false)[2:], "UTF-16 text without a byte order mark"},
		"old Mac line endings":  {[]byte(strings.ReplaceAll(importHeaderLine+goodRow(1)+goodRow(2), "\n", "\r")), "carriage return only"},
		"UTF-32":                {append([]byte{0xFF, 0xFE, 0, 0}, 'g', 0, 0, 0), "UTF-32"},
		"Windows-1252 header":   {[]byte("given_name,family_name,date_of_birth,phone,email,notes,r\xe9sum\xe9\n"), "not UTF-8 text"},
	} {
		_, _, err := ParseClientsCSV(bytes.NewReader(c.in), today)
		if !errors.Is(err, ErrBadHeader) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "CSV UTF-8") {
			t.Errorf("%s: %v; want a plain message with %q", name, err, c.want)
		}
	}
	in := importHeaderLine + "Ren\xe9e,Dupr\xe9,1990-01-01,+33 1 55 55 01 01,,\n"
	_, bad, err := ParseClientsCSV(strings.NewReader(in), today)
	if err != nil || len(bad) != 2 || bad[0].Field != "given_name" || !strings.Contains(bad[0].Reason, "not UTF-8 text") {
		t.Errorf("a Windows-1252 row: %v %v", bad, err)
	}
}

// TestNamesWithZWNJAndBidiControls: Persian names written with the
// zero-width non-joiner are valid; a right-to-left override is refused in
// names and in every free text (see README: why at validation).

// rowsFile writes a client spreadsheet of n rows as it is read, so the
// test itself holds none of it.
type rowsFile struct {
	n, i int
	buf  []byte
}

func (r *rowsFile) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		switch {
		case r.i == 0:
			r.buf = []byte(importHeaderLine)
		case r.i > r.n:
			return 0, io.EOF
		default:
			row := goodRow(r.i)
			r.buf = []byte(row[:len(row)-2] + strings.Repeat("x", 150) + "\"\n") // a longer note
		}
		r.i++
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// TestClientCSVReadsAnyFileInBoundedMemory reads a 50 MB file of 245,000
// rows, issue 19's case, and watches the heap: it stays a few megabytes,
// whatever the size.
func TestClientCSVReadsAnyFileInBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 50 MB")
	}
	src := &rowsFile{n: 245_000}
	var sent int64
	c, err := NewClientCSV(src, today, CSVOptions{Progress: func(done, _ int64) { sent = done }})
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapAlloc, uint64(0)
	rows := 0
	for {
		row, err := c.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil || len(row.Problems) > 0 {
			t.Fatalf("row %d: %v %v", rows, err, row.Problems)
		}
		rows++
		if rows%5000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	if rows != 245_000 || sent < 45<<20 {
		t.Fatalf("%d rows, %d bytes read", rows, sent)
	}
	t.Logf("%d rows, %.1f MB read; heap peak %.1f MB over %.1f MB at the start", rows, float64(sent)/1e6, float64(peak)/1e6, float64(base)/1e6)
	if peak > base+16<<20 {
		t.Errorf("the heap grew to %.1f MB reading the file; want it bounded", float64(peak)/1e6)
	}
}
