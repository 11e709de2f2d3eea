package importer

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/crm-course/crm/internal/crm"
)

// CustomerRec is one customer. Each record is freshly allocated.
type CustomerRec struct {
	Line                                                        int
	Code, Name, Type, Owner, Phone, Email, Fax, Address, City   string
	Region, Country, Industry, Source, BankAccount, TaxID, Note string
	TermsDays                                                   int // meaningful only when Set["terms_days"]
	Set                                                         map[string]bool
}

// Customers reads a customers file. A row needs a name or a code (a code
// alone updates the customer with that code). Set holds the fields the row
// gives a value for (field names as in --map): an empty cell leaves a field
// as it is. Type is "company" or "person" ("" if not given).
func (r *Reader) Customers(fn func(*CustomerRec) error, reject func(*RowError) error) (Stats, error) {
	return readRows(r, Customers, r.parseCustomer, fn, reject)
}

func (r *Reader) parseCustomer(rec []string, line int) (*CustomerRec, *RowError) {
	c := &CustomerRec{Line: line, Set: make(map[string]bool)}
	dst := [...]*string{
		cuCode: &c.Code, cuName: &c.Name, cuType: &c.Type, cuOwner: &c.Owner, cuPhone: &c.Phone,
		cuEmail: &c.Email, cuFax: &c.Fax, cuAddress: &c.Address, cuCity: &c.City, cuRegion: &c.Region,
		cuCountry: &c.Country, cuIndustry: &c.Industry, cuSource: &c.Source, cuBankAccount: &c.BankAccount,
		cuTaxID: &c.TaxID, cuTermsDays: nil, cuNote: &c.Note,
	}
	for i, p := range dst {
		v := r.get(rec, i)
		if v == "" {
			continue
		}
		c.Set[r.sp.fields[i].name] = true
		if p != nil {
			*p = strings.Clone(v)
		}
	}
	c.Code = normRef(c.Code)
	if c.Code == "" && c.Name == "" {
		if r.has(cuName) {
			return nil, r.bad(line, cuName, "", "empty (a row needs a name or a code)")
		}
		return nil, r.bad(line, cuCode, "", "empty")
	}
	if c.Type != "" {
		t, ok := customerType(c.Type)
		if !ok {
			return nil, r.bad(line, cuType, c.Type, "not company or person")
		}
		c.Type = t
	}
	if c.Email != "" && !validEmail(c.Email) {
		return nil, r.bad(line, cuEmail, c.Email, "not an email address")
	}
	if c.Phone != "" && !validPhone(c.Phone) {
		return nil, r.bad(line, cuPhone, c.Phone, "not a phone number")
	}
	if c.Fax != "" && !validPhone(c.Fax) {
		return nil, r.bad(line, cuFax, c.Fax, "not a fax number")
	}
	if s := r.get(rec, cuTermsDays); s != "" {
		n, why := termsDays(s)
		if why != "" {
			return nil, r.bad(line, cuTermsDays, s, why)
		}
		c.TermsDays = n
	}
	return c, nil
}

func customerType(s string) (string, bool) {
	switch strings.ToLower(s) {
	case "company", "business", "organization", "organisation", "corporate", "公司", "企业", "单位", "企业客户":
		return "company", true
	case "person", "individual", "personal", "private", "个人", "个人客户":
		return "person", true
	}
	return "", false
}

// termsDays reads payment terms in days: "30", "30 days", "30天", "net 30".
func termsDays(s string) (int, string) {
	t := strings.ToLower(strings.TrimSpace(s))
	t = strings.TrimPrefix(t, "net")
	for _, suf := range []string{"days", "day", "d", "天"} {
		if strings.HasSuffix(t, suf) {
			t = strings.TrimSuffix(t, suf)
			break
		}
	}
	t = normRef(strings.TrimSpace(t))
	n, err := strconv.Atoi(t)
	switch {
	case err != nil:
		return 0, "not a whole number of days"
	case n < 0:
		return 0, "must not be negative"
	case n > 3650:
		return 0, "more than 3650 days"
	}
	return n, ""
}

// validEmail is a plain check: one @, something before it, a dotted domain
// after it, no spaces or brackets.
func validEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 || at != strings.LastIndexByte(s, '@') || strings.ContainsAny(s, " \t<>()[],;:\"\\") {
		return false
	}
	local, domain := s[:at], s[at+1:]
	if strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(s, "..") {
		return false
	}
	dot := strings.LastIndexByte(domain, '.')
	return dot > 0 && dot < len(domain)-1 && !strings.HasPrefix(domain, "-")
}

// validPhone: at least three digits; besides digits only separators
// (space + - ( ) . / #) and an extension marker (ext, x, 转, 分机).
func validPhone(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +-()./#*,;", r), unicode.IsSpace(r):
		case strings.ContainsRune("extEXT转分机", r):
		default:
			return false
		}
	}
	return digits >= 3
}

// ContactRec is one contact person of a customer. Each record is freshly allocated.
type ContactRec struct {
	Line                      int
	Customer, Name            string
	Role                      crm.Role // crm.ParseRole of the file's, or "" (not given)
	Title, Phone, Email, Note string
}

// Contacts reads a contacts file: a customer reference and a name per row.
func (r *Reader) Contacts(fn func(*ContactRec) error, reject func(*RowError) error) (Stats, error) {
	return readRows(r, Contacts, r.parseContact, fn, reject)
}

func (r *Reader) parseContact(rec []string, line int) (*ContactRec, *RowError) {
	c := &ContactRec{Line: line}
	if c.Customer = strings.Clone(normRef(r.get(rec, ctCustomer))); c.Customer == "" {
		return nil, r.bad(line, ctCustomer, "", "empty")
	}
	if c.Name = strings.Clone(r.get(rec, ctName)); c.Name == "" {
		return nil, r.bad(line, ctName, "", "empty")
	}
	if s := r.get(rec, ctRole); s != "" {
		role, err := crm.ParseRole(normHeader(s))
		if err != nil {
			return nil, r.bad(line, ctRole, s, "not a role (want image, decision, implementation or user; 形象层, 决策层, 实施层, 使用层)")
		}
		c.Role = role
	}
	c.Title = strings.Clone(r.get(rec, ctTitle))
	c.Phone = strings.Clone(r.get(rec, ctPhone))
	if c.Phone != "" && !validPhone(c.Phone) {
		return nil, r.bad(line, ctPhone, c.Phone, "not a phone number")
	}
	c.Email = strings.Clone(r.get(rec, ctEmail))
	if c.Email != "" && !validEmail(c.Email) {
		return nil, r.bad(line, ctEmail, c.Email, "not an email address")
	}
	c.Note = strings.Clone(r.get(rec, ctNote))
	return c, nil
}
