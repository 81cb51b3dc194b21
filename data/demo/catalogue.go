package demo

import "needledesk/data"

// catalogue is the demo clinic's shelf: at least one product per category,
// with start days that follow the cautious aftercare defaults.
var catalogue = []data.Product{
	{Name: "Calm Barrier Recovery Gel", Brand: "Lumen Lab", Category: data.CategoryProtectiveGel, DefaultStartDay: 0,
		HowToUse:       "Smooth a thin layer over the treated skin whenever it feels tight or warm.",
		KeyIngredients: []string{"Panthenol", "Allantoin", "Aloe vera"}},
	{Name: "Gentle Cream Cleanser", Brand: "Softwater", Category: data.CategoryCleanser, DefaultStartDay: 1,
		HowToUse:       "Massage onto damp skin with fingertips, rinse with lukewarm water, pat dry. Morning and evening.",
		KeyIngredients: []string{"Glycerin", "Oat extract"}},
	{Name: "Hyaluronic Hydration Serum", Brand: "Aqualis", Category: data.CategoryHydrating, DefaultStartDay: 1,
		HowToUse:       "Press two or three drops into clean skin before moisturiser, morning and evening.",
		KeyIngredients: []string{"Hyaluronic acid", "Glycerin"}},
	{Name: "Ceramide Comfort Moisturiser", Brand: "Softwater", Category: data.CategoryMoisturiser, DefaultStartDay: 1,
		HowToUse:       "Apply a pea-sized amount after serum to seal in moisture.",
		KeyIngredients: []string{"Ceramides", "Shea butter", "Squalane"}},
	{Name: "Mineral Shield SPF 50", Brand: "Sunward", Category: data.CategorySunscreen, DefaultStartDay: 3,
		HowToUse:       "Apply generously as the last morning step; reapply every two hours outdoors.",
		KeyIngredients: []string{"Zinc oxide", "Titanium dioxide"}},
	{Name: "Bright C 15% Serum", Brand: "Lumen Lab", Category: data.CategoryVitaminC, DefaultStartDay: 7,
		HowToUse:       "Four drops on dry skin each morning, under sunscreen. Stop if it stings.",
		KeyIngredients: []string{"Ascorbic acid", "Vitamin E", "Ferulic acid"}},
	{Name: "Matrix Peptide Complex", Brand: "Dermacell", Category: data.CategoryPeptide, DefaultStartDay: 7,
		HowToUse:       "Apply in the evening to clean skin before moisturiser.",
		KeyIngredients: []string{"Palmitoyl tripeptide-1", "Copper peptides", "Niacinamide"}},
	{Name: "Mineral Cover Powder", Brand: "Sunward", Category: data.CategoryOther, DefaultStartDay: 3,
		HowToUse:       "Brush lightly over any remaining redness with a clean brush.",
		KeyIngredients: []string{"Mica", "Zinc oxide"}},
}
