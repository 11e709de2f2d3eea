package crm

import (
	"context"
	"net/mail"
	"strings"
	"unicode/utf8"
)

// CustomerType is company or person.
type CustomerType string

const (
	Company CustomerType = "company"
	Person  CustomerType = "person"
)

// ParseCustomerType validates a --type value.
func ParseCustomerType(s string) (CustomerType, error) {
	switch CustomerType(strings.ToLower(strings.TrimSpace(s))) {
	case Company:
		return Company, nil
	case Person:
		return Person, nil
	}
	return "", Errorf(EINVALID, "type %q: must be company or person", s)
}

// DefaultTermsDays is the payment term of a new customer.
const DefaultTermsDays = 30

// Customer is one account in the book.
type Customer struct {
	ID          int64        `json:"id"`
	Code        string       `json:"code"`
	Name        string       `json:"name"`
	Type        CustomerType `json:"type"`
	Owner       string       `json:"owner"`
	Phone       string       `json:"phone"`
	Email       string       `json:"email"`
	Fax         string       `json:"fax"`
	Address     string       `json:"address"`
	City        string       `json:"city"`
	Region      string       `json:"region"`
	Country     string       `json:"country"`
	Industry    string       `json:"industry"`
	Source      string       `json:"source"`
	BankAccount string       `json:"bank_account"`
	TaxID       string       `json:"tax_id"`
	TermsDays   int          `json:"terms_days"`
	Note        string       `json:"note"`
	CreatedAt   string       `json:"created_at"`
	UpdatedAt   string       `json:"updated_at"`
}

// CustomerFields lists the editable text fields by their flag names, in display order.
var CustomerFields = []string{"code", "name", "type", "owner", "phone", "email", "fax", "address",
	"city", "region", "country", "industry", "source", "bank-account", "tax-id", "terms-days", "note"}

// Field returns a pointer to the string field named by its flag name (nil for
// non-string fields such as terms-days).
func (c *Customer) Field(name string) *string {
	switch name {
	case "code":
		return &c.Code
	case "name":
		return &c.Name
	case "owner":
		return &c.Owner
	case "phone":
		return &c.Phone
	case "email":
		return &c.Email
	case "fax":
		return &c.Fax
	case "address":
		return &c.Address
	case "city":
		return &c.City
	case "region":
		return &c.Region
	case "country":
		return &c.Country
	case "industry":
		return &c.Industry
	case "source":
		return &c.Source
	case "bank-account":
		return &c.BankAccount
	case "tax-id":
		return &c.TaxID
	case "note":
		return &c.Note
	}
	return nil
}

// Validate checks a customer before it is stored.
func (c *Customer) Validate() error {
	c.Name = strings.TrimSpace(c.Name)
	c.Code = strings.TrimSpace(c.Code)
	if c.Name == "" {
		return Errorf(EINVALID, "customer name is empty")
	}
	if !utf8.ValidString(c.Name) {
		return Errorf(EINVALID, "customer name is not valid UTF-8")
	}
	for _, f := range CustomerFields {
		if p := c.Field(f); p != nil {
			if err := CheckText(f, *p, f == "address" || f == "note"); err != nil {
				return err
			}
		}
	}
	if c.Type == "" {
		c.Type = Company
	}
	if _, err := ParseCustomerType(string(c.Type)); err != nil {
		return err
	}
	if err := ValidateEmail(c.Email); err != nil {
		return err
	}
	if c.TermsDays < 0 || c.TermsDays > 3650 {
		return Errorf(EINVALID, "terms-days %d: must be between 0 and 3650", c.TermsDays)
	}
	if strings.HasPrefix(c.Code, "id:") {
		return Errorf(EINVALID, "code %q: codes may not start with \"id:\"", c.Code)
	}
	return nil
}

// ValidateEmail accepts "" or one plain address (no display name).
func ValidateEmail(s string) error {
	if s == "" {
		return nil
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndexByte(s, '@'):], ".") {
		return Errorf(EINVALID, "email %q: not an email address", s)
	}
	return nil
}

// Role is a contact's decision layer (the course's four layers of key people).
type Role string

const (
	RoleImage          Role = "image"
	RoleDecision       Role = "decision"
	RoleImplementation Role = "implementation"
	RoleUser           Role = "user"
)

// Roles in the course's order.
var Roles = []Role{RoleImage, RoleDecision, RoleImplementation, RoleUser}

var roleZh = map[Role]string{
	RoleImage: "形象层", RoleDecision: "决策层", RoleImplementation: "实施层", RoleUser: "使用层",
}

// ParseRole accepts the English names, the course's Chinese ones (with or
// without 层) and the words of roleAliases (decider, end user, …).
func ParseRole(s string) (Role, error) {
	if r, ok := roleAliases()[aliasKey(s)]; ok {
		return r, nil
	}
	return "", Errorf(EINVALID, "role %q: must be image, decision, implementation or user", s)
}

// Label is the role's name in lang ("en" or "zh").
func (r Role) Label(lang string) string {
	if IsZh(lang) {
		return roleZh[r]
	}
	return string(r)
}

// MinContacts is the course's minimum number of contacts at a company.
const MinContacts = 3

// Contact is a person at a customer.
type Contact struct {
	ID           int64  `json:"id"`
	CustomerID   int64  `json:"-"`
	CustomerCode string `json:"customer_code"`
	CustomerName string `json:"customer_name"`
	Name         string `json:"name"`
	Role         Role   `json:"role"`
	Title        string `json:"title"`
	Phone        string `json:"phone"`
	Email        string `json:"email"`
	Note         string `json:"note"`
}

// Validate checks a contact before it is stored.
func (c *Contact) Validate() error {
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" {
		return Errorf(EINVALID, "contact name is empty")
	}
	for _, f := range []struct {
		name, value string
	}{{"name", c.Name}, {"title", c.Title}, {"phone", c.Phone}, {"email", c.Email}} {
		if err := CheckText(f.name, f.value, false); err != nil {
			return err
		}
	}
	if err := CheckText("note", c.Note, true); err != nil {
		return err
	}
	r, err := ParseRole(string(c.Role))
	if err != nil {
		return err
	}
	c.Role = r
	return ValidateEmail(c.Email)
}

// Coverage is one company's contact coverage by layer.
type Coverage struct {
	CustomerCode string
	CustomerName string
	Contacts     int
	ByRole       map[Role]int
}

// CoverageOf is the coverage of one customer with contacts cs (the counts
// `contact coverage` reads from storage for every company).
func CoverageOf(code, name string, cs []Contact) Coverage {
	c := Coverage{CustomerCode: code, CustomerName: name, Contacts: len(cs), ByRole: map[Role]int{}}
	for _, k := range cs {
		c.ByRole[k.Role]++
	}
	return c
}

// Missing lists the layers without a contact.
func (c Coverage) Missing() []Role {
	var out []Role
	for _, r := range Roles {
		if c.ByRole[r] == 0 {
			out = append(out, r)
		}
	}
	return out
}

// Complete reports whether every layer is covered and there are enough contacts.
func (c Coverage) Complete() bool { return len(c.Missing()) == 0 && c.Contacts >= MinContacts }

// CustomerFilter selects customers for a listing.
type CustomerFilter struct {
	Search string
	Type   CustomerType
	Owner  string
	City   string
	Tier   string // A, B or C; filled by the caller from tier computation
	IDs    []int64
	Sort   string // code, name, created, city
	Desc   bool
	Limit  int
}

// CustomerCounts are the records that hang off a customer.
type CustomerCounts struct {
	Contacts       int `json:"contacts"`
	Orders         int `json:"orders"`
	Payments       int `json:"payments"`
	Complaints     int `json:"complaints"`
	OpenComplaints int `json:"open_complaints"`
	CreditChanges  int `json:"credit_changes"`
	Interactions   int `json:"interactions"`
	Tasks          int `json:"tasks"`
	OpenTasks      int `json:"open_tasks"`
	Deals          int `json:"deals"`
	OpenDeals      int `json:"open_deals"` // open or dormant (冷冻): not yet won or lost
}

// Total is the number of records that refer to the customer.
func (c CustomerCounts) Total() int {
	return c.Contacts + c.Orders + c.Payments + c.Complaints + c.CreditChanges + c.Interactions + c.Tasks + c.Deals
}

// CustomerProfile is one customer with the counts of its records and its
// contacts in layer order (customer show).
type CustomerProfile struct {
	Customer *Customer
	Counts   CustomerCounts
	Contacts []Contact
	// Wish is the customer's own wish in effect at the profile's date
	// (SPEC §13); nil: none.
	Wish *CustomerWish
}

// CustomerService stores customers.
type CustomerService interface {
	Resolve(ctx context.Context, ref string) (*Customer, error)
	// Profile resolves ref as Resolve does and reads the customer's counts
	// and contacts with it.
	Profile(ctx context.Context, ref string) (*CustomerProfile, error)
	// ProfileAt is Profile with the wish in effect at asOf (Profile: the
	// latest recorded).
	ProfileAt(ctx context.Context, ref string, asOf Date) (*CustomerProfile, error)
	Create(ctx context.Context, c *Customer) error
	Update(ctx context.Context, c *Customer) error
	Delete(ctx context.Context, id int64, force bool) (CustomerCounts, error)
	List(ctx context.Context, f CustomerFilter) ([]Customer, error)
	Counts(ctx context.Context, id int64) (CustomerCounts, error)
}

// ContactService stores contacts.
type ContactService interface {
	AddContact(ctx context.Context, c *Contact) error
	UpdateContact(ctx context.Context, c *Contact) error
	DeleteContact(ctx context.Context, id int64) error
	GetContact(ctx context.Context, id int64) (*Contact, error)
	ListContacts(ctx context.Context, customerID int64) ([]Contact, error)
	Coverage(ctx context.Context) ([]Coverage, error)
}
