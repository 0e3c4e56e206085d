// Writes go-pax.tar: the entries of TarWriterTest.goEntries() through Go's archive/tar in PAX
// format with numeric owners, as Docker, containerd and umoci write layers. TarWriterTest
// compares TarWriter's bytes with it. Regenerate with: go run go-pax.go > go-pax.tar
package main

import (
	"archive/tar"
	"os"
	"strings"
	"time"
)

type entry struct {
	name     string
	typeflag byte
	mode     int64
	uid, gid int
	mtime    int64
	link     string
	major    int64
	minor    int64
	xattrs   map[string]string
	content  string
}

func main() {
	capNetRaw := "\x01\x00\x00\x02\x00\x20\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	entries := []entry{
		{name: "dir/", typeflag: '5', mode: 0755, mtime: 1700000000},
		{name: "dir/file.txt", typeflag: '0', mode: 0644, uid: 1000, gid: 1000, mtime: 1700000001,
			xattrs: map[string]string{"user.bin": "\xff\x00\x80abc", "security.capability": capNetRaw}, content: "hello\n"},
		{name: "dir/empty", typeflag: '0', mode: 0600, mtime: 1700000002},
		{name: strings.Repeat("a", 60) + "/" + strings.Repeat("b", 89), typeflag: '0', mode: 0644, mtime: 1700000003, content: "x"},
		{name: strings.Repeat("c", 150), typeflag: '0', mode: 0644, mtime: 1700000004, content: strings.Repeat("y", 600)},
		{name: "dir/caf\u00e9-\u65e5\u672c.txt", typeflag: '0', mode: 0644, mtime: 1700000005, content: "z"},
		{name: "dir/link", typeflag: '2', mode: 0777, mtime: 1700000006, link: strings.Repeat("t/", 75) + "target"},
		{name: "dir/hard", typeflag: '1', mode: 0644, mtime: 1700000007, link: "dir/file.txt"},
		{name: "dir/fifo", typeflag: '6', mode: 0644, mtime: 1700000008},
		{name: "dev/null", typeflag: '3', mode: 0666, mtime: 1700000009, major: 1, minor: 3},
		{name: "dev/sda", typeflag: '4', mode: 0660, gid: 6, mtime: 1700000010, major: 8, minor: 0},
		{name: "dir/bigids", typeflag: '0', mode: 0644, uid: 3000000, gid: 4000000, mtime: 1700000011},
		{name: "dir/before1970", typeflag: '0', mode: 0644, mtime: -1},
		{name: "dir/far-future", typeflag: '0', mode: 0644, mtime: 1 << 33},
		{name: strings.Repeat("a", 60) + "/" + strings.Repeat("d", 89), typeflag: '0', mode: 0644, mtime: 1700000012,
			xattrs: map[string]string{"user.k": "v"}},
		{name: "dir/\u00fcberlink", typeflag: '2', mode: 0777, mtime: 1700000013, link: "\u00fcber"},
		{name: strings.Repeat("x", 99) + "/" + strings.Repeat("y", 60), typeflag: '0', mode: 0644, mtime: 1700000014,
			xattrs: map[string]string{"trusted.overlay.opaque": "y", "user.empty": ""}},
		{name: "dir/suid", typeflag: '0', mode: 04755, mtime: 1700000015},
	}
	tw := tar.NewWriter(os.Stdout)
	for _, e := range entries {
		hdr := &tar.Header{
			Name: e.name, Typeflag: e.typeflag, Mode: e.mode, Uid: e.uid, Gid: e.gid,
			ModTime: time.Unix(e.mtime, 0), Linkname: e.link, Devmajor: e.major, Devminor: e.minor,
			Size: int64(len(e.content)), Format: tar.FormatPAX,
		}
		if len(e.xattrs) > 0 {
			hdr.PAXRecords = map[string]string{}
			for k, v := range e.xattrs {
				hdr.PAXRecords["SCHILY.xattr."+k] = v
			}
		}
		if err := tw.WriteHeader(hdr); err != nil {
			panic(e.name + ": " + err.Error())
		}
		if _, err := tw.Write([]byte(e.content)); err != nil {
			panic(err)
		}
	}
	if err := tw.Close(); err != nil {
		panic(err)
	}
}
