package qualys_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/qsync/qsync/internal/qualys"
	"github.com/qsync/qsync/internal/resource"
)

// authList builds an AUTH_UNIX_LIST_OUTPUT of n records as the API renders
// them.
func authList(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" ?>` + "\n<!DOCTYPE AUTH_UNIX_LIST_OUTPUT SYSTEM \"https://qualysapi.qualys.com/api/2.0/fo/auth/unix/auth_unix_list_output.dtd\">\n<AUTH_UNIX_LIST_OUTPUT><RESPONSE><DATETIME>2026-01-01T00:00:00Z</DATETIME><AUTH_UNIX_LIST>\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `<AUTH_UNIX><ID>%d</ID><TITLE><![CDATA[record %d]]></TITLE><USERNAME><![CDATA[svc_%d]]></USERNAME>`+
			`<CLEARTEXT_PASSWORD>0</CLEARTEXT_PASSWORD><PORT>22</PORT><LOGIN_TYPE><![CDATA[basic]]></LOGIN_TYPE>`+
			`<IP_SET><IP>10.%d.%d.1</IP><IP_RANGE>10.%d.%d.10-10.%d.%d.50</IP_RANGE></IP_SET><NETWORK_ID>0</NETWORK_ID>`+
			`<CREATED><DATETIME>2026-01-01T00:00:00Z</DATETIME><BY>admin</BY></CREATED><LAST_MODIFIED><DATETIME>2026-01-01T00:00:00Z</DATETIME></LAST_MODIFIED>`+
			`<COMMENTS><![CDATA[managed by qsync]]></COMMENTS></AUTH_UNIX>`+"\n", 100000+i, i, i, i/250, i%250, i/250, i%250, i/250, i%250)
	}
	b.WriteString("</AUTH_UNIX_LIST></RESPONSE></AUTH_UNIX_LIST_OUTPUT>\n")
	return b.Bytes()
}

// BenchmarkDecodeAuthList decodes lists of 1,000 and 10,000 records; the
// per-record allocation count staying flat shows memory is bounded by the
// record, not the list (the decoder streams).
func BenchmarkDecodeAuthList(b *testing.B) {
	k := resource.Default().AuthKind("unix")
	for _, n := range []int{1000, 10000} {
		doc := authList(n)
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				count := 0
				if _, err := qualys.DecodeAuthList(bytes.NewReader(doc), k, func(*resource.Object) error { count++; return nil }); err != nil {
					b.Fatal(err)
				}
				if count != n {
					b.Fatalf("decoded %d", count)
				}
			}
		})
	}
}
