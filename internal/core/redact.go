package core

import (
	"fmt"
	"log/slog"
	"net/url"
	"reflect"
	"strings"
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
