// Package maint implements `crm backup` and `crm check`.
package maint
