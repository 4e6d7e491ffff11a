package core

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"unicode"
)

// Redacted is what a secret is printed as.
const Redacted = "[REDACTED]"

// IsSecretName reports whether a field, header or parameter with this name holds a
// credential: passwords, tokens, secrets, keys and Authorization headers.
func IsSecretName(name string) bool {
	n := strings.ToLower(name)
	for _, s := range []string{"password", "passwd", "secret", "token", "authorization", "apikey", "api_key", "credential"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

// RedactString formats a struct like fmt's %+v, printing every non-empty field whose
// name or JSON name holds a credential (see [IsSecretName]) as [Redacted].
// Request types call it from their String and GoString methods.
func RedactString(v any) string {
	rv := reflect.Indirect(reflect.ValueOf(v))
	if rv.Kind() != reflect.Struct {
		return fmt.Sprint(v)
	}
	var b strings.Builder
	b.WriteString(rv.Type().Name())
	b.WriteByte('{')
	first := true
	for i := 0; i < rv.NumField(); i++ {
		f := rv.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		if !first {
			b.WriteByte(' ')
		}
		first = false
		b.WriteString(f.Name)
		b.WriteByte(':')
		b.WriteString(fieldString(f, rv.Field(i)))
	}
	b.WriteByte('}')
	return b.String()
}

// RedactLogValue returns a slog group of the struct's exported, non-empty fields with
// credentials replaced by [Redacted]. Request types call it from their LogValue methods.
func RedactLogValue(v any) slog.Value {
	rv := reflect.Indirect(reflect.ValueOf(v))
	if rv.Kind() != reflect.Struct {
		return slog.StringValue(fmt.Sprint(v))
	}
	attrs := make([]slog.Attr, 0, rv.NumField())
	for i := 0; i < rv.NumField(); i++ {
		f := rv.Type().Field(i)
		fv := rv.Field(i)
		if !f.IsExported() || fv.IsZero() {
			continue
		}
		attrs = append(attrs, slog.String(f.Name, fieldString(f, fv)))
	}
	return slog.GroupValue(attrs...)
}

func fieldString(f reflect.StructField, v reflect.Value) string {
	if isSecretField(f) {
		if v.IsZero() {
			return `""`
		}
		return Redacted
	}
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() == reflect.Pointer {
		return "<nil>"
	}
	if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
		return string(v.Bytes()) // json.RawMessage and []byte as text
	}
	if v.Kind() == reflect.Struct {
		if s, ok := v.Interface().(fmt.Stringer); ok {
			return s.String()
		}
		return RedactString(v.Interface())
	}
	return fmt.Sprintf("%v", v.Interface())
}

func isSecretField(f reflect.StructField) bool {
	if IsSecretName(f.Name) {
		return true
	}
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return IsSecretName(name)
}

// RedactURL returns the URL as a string with its user info and the values of
// credential-like query parameters replaced by [Redacted].
func RedactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	if u.User == nil && u.RawQuery == "" {
		return u.String()
	}
	c := *u
	if c.User != nil {
		c.User = url.User(Redacted)
	}
	if c.RawQuery != "" {
		q := c.Query()
		for k := range q {
			if IsSecretName(k) {
				q[k] = []string{Redacted}
			}
		}
		c.RawQuery = q.Encode()
	}
	return c.String()
}

// echoable lists what an answer to the attempt may echo that no error may show: the
// secrets the request declared (Request.Secrets), the credential of its Authorization
// header (a bearer token; for Basic the encoded pair and the password) and the values of
// its body's members with secret names (see [IsSecretName]), such as a new user's
// password. It is built only for an error, from the request as last sent.
func (a *attempt) echoable() []string {
	out := append([]string(nil), a.secrets...)
	if a.req == nil {
		return out
	}
	if v := a.req.Header.Get("Authorization"); v != "" {
		out = appendCredential(out, v)
	}
	if a.req.GetBody != nil {
		if rc, err := a.req.GetBody(); err == nil {
			body, _ := io.ReadAll(rc)
			rc.Close()
			out = appendSecretMembers(out, body)
		}
	}
	return out
}

// appendCredential appends the secret parts of an Authorization header value: what
// follows the scheme and, for Basic, the password it encodes.
func appendCredential(out []string, header string) []string {
	scheme, cred, ok := strings.Cut(header, " ")
	if !ok {
		return append(out, header)
	}
	cred = strings.TrimSpace(cred)
	out = append(out, cred)
	if strings.EqualFold(scheme, "Basic") {
		if pair, err := base64.StdEncoding.DecodeString(cred); err == nil {
			if _, password, ok := strings.Cut(string(pair), ":"); ok {
				out = append(out, password)
			}
		}
	}
	return out
}

// appendSecretMembers appends the values of the members of a JSON or form-encoded request
// body whose names are secret: every string and number inside such a member, at any depth.
func appendSecretMembers(out []string, body []byte) []string {
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return out
	}
	if b[0] == '{' || b[0] == '[' {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		var v any
		if dec.Decode(&v) != nil {
			return out
		}
		return appendSecretValues(out, v, false)
	}
	form, _ := url.ParseQuery(string(b)) // what parses of a form
	for k, vs := range form {
		if IsSecretName(k) {
			out = append(out, vs...)
		}
	}
	return out
}

func appendSecretValues(out []string, v any, secret bool) []string {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			out = appendSecretValues(out, e, secret || IsSecretName(k))
		}
	case []any:
		for _, e := range x {
			out = appendSecretValues(out, e, secret)
		}
	case string:
		if secret {
			out = append(out, x)
		}
	case json.Number:
		if secret {
			out = append(out, x.String())
		}
	}
	return out
}

// replaceWhole replaces with [Redacted] each occurrence of secret in s. A secret shorter
// than wholeWordBelow (a test's token "tok") is replaced only where it is not part of a
// longer word, so that the words containing it ("token") stay readable; an escape before
// it (\n, \u00e9, %20) is not a word. A longer secret is replaced wherever it stands:
// the words it could be part of are too rare to be worth a leak.
func replaceWhole(s, secret string) string {
	if secret == "" || !strings.Contains(s, secret) {
		return s
	}
	if len(secret) >= wholeWordBelow {
		return strings.ReplaceAll(s, secret, Redacted)
	}
	var b strings.Builder
	done := 0 // s[:done] is written
	for from := 0; ; {
		i := strings.Index(s[from:], secret)
		if i < 0 {
			break
		}
		i += from
		end := i + len(secret)
		if joins(s, i-1, secret[0], true) || joins(s, end, secret[len(secret)-1], false) {
			from = i + 1
			continue
		}
		b.WriteString(s[done:i])
		b.WriteString(Redacted)
		done, from = end, end
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// wholeWordBelow is the length under which replaceWhole replaces only whole words.
const wholeWordBelow = 8

// joins reports whether s[i] (if there is one) continues a word that the secret's
// character edge ends. Before the secret, the end of an escape of something that is not
// a letter or digit (\n, %20) does not; one of a letter (\u00dc, %41) does.
func joins(s string, i int, edge byte, before bool) bool {
	if i < 0 || i >= len(s) || !isWordByte(edge) || !isWordByte(s[i]) {
		return false
	}
	if !before {
		return true
	}
	if r, ok := escapedBefore(s, i); ok {
		return unicode.IsLetter(r) || unicode.IsDigit(r)
	}
	return true
}

// escapedBefore returns what the escape that s[i] ends stands for: a JSON escape (\n,
// \u00dc) or a percent escape (%3D).
func escapedBefore(s string, i int) (rune, bool) {
	switch {
	case i >= 5 && s[i-5] == '\\' && s[i-4] == 'u':
		if n, err := strconv.ParseUint(s[i-3:i+1], 16, 16); err == nil {
			return rune(n), true
		}
	case i >= 2 && s[i-2] == '%':
		if n, err := strconv.ParseUint(s[i-1:i+1], 16, 8); err == nil {
			return rune(n), true
		}
	}
	if i >= 1 && s[i-1] == '\\' {
		return '\n', true // \n, \t, ...: a control character
	}
	return 0, false
}

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
