package data

// Category groups catalogue products the way aftercare talks about them.
type Category string

// The product categories in the catalogue.
const (
	CategoryVitaminC      Category = "vitamin_c"
	CategoryPeptide       Category = "peptide"
	CategoryHydrating     Category = "hydrating_serum"
	CategorySunscreen     Category = "sunscreen"
	CategoryCleanser      Category = "cleanser"
	CategoryMoisturiser   Category = "moisturiser"
	CategoryProtectiveGel Category = "protective_gel"
	CategoryOther         Category = "other"
)

// Categories lists every category in the order forms show them.
var Categories = []Category{
	CategoryVitaminC, CategoryPeptide, CategoryHydrating, CategorySunscreen,
	CategoryCleanser, CategoryMoisturiser, CategoryProtectiveGel, CategoryOther,
}

var categoryLabels = map[Category]string{
	CategoryVitaminC:      "Vitamin C",
	CategoryPeptide:       "Peptide",
	CategoryHydrating:     "Hydrating serum",
	CategorySunscreen:     "Sunscreen",
	CategoryCleanser:      "Cleanser",
	CategoryMoisturiser:   "Moisturiser",
	CategoryProtectiveGel: "Protective gel",
	CategoryOther:         "Other",
}

// Label is the category as a person reads it.
func (c Category) Label() string {
	if l, ok := categoryLabels[c]; ok {
		return l
	}
	return string(c)
}

// Product is an item in the clinic's catalogue.
type Product struct {
	ID              int64
	Name            string
	Brand           string
	Category        Category
	HowToUse        string
	DefaultStartDay int // days after the treatment day
	KeyIngredients  []string
	Active          bool
	// Version rises with every saved change; UpdateProduct saves only
	// over the version that was read, so a change made since is never
	// overwritten unseen (ErrConflict).
	Version int64
}
