package demo

// A name pool pairs given and family names from one culture, so generated
// clients read like real people and cover accents and non-Latin scripts.
// Scripts that need glyph shaping (Arabic, Devanagari) are left out: the
// database keeps them exactly, but the PDF library cannot shape them yet.
type namePool struct {
	given  []string
	family []string
	// latin is how the name is spelled in an e-mail address; empty means
	// the pool's names are already Latin and are folded instead.
	latin bool
	phone string // country calling code
}

var pools = []namePool{
	{given: []string{"Olivia", "Amelia", "Grace", "Sophie", "Hannah", "Chloe", "Emily", "Jack", "Oliver", "Thomas"},
		family: []string{"Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Walker", "Wright", "Hughes", "Green"}, latin: true, phone: "+44"},
	{given: []string{"Siobhán", "Aoife", "Niamh", "Róisín", "Seán", "Ciarán"},
		family: []string{"O'Brien", "O'Connor", "Ní Bhriain", "Mac Carthaigh", "Ó Súilleabháin", "Byrne"}, latin: true, phone: "+353"},
	{given: []string{"José-María", "Lucía", "Martina", "Sofía", "Álvaro", "Inés", "Begoña"},
		family: []string{"García", "Fernández", "López", "Martínez", "Sánchez", "Pérez-Gómez", "Muñoz"}, latin: true, phone: "+34"},
	{given: []string{"Zoë", "Chloé", "Hélène", "Léa", "Amélie", "Noël", "Maëlle"},
		family: []string{"Dubois", "Lefèvre", "Moreau", "Girard", "Bélanger", "Côté", "Laurent"}, latin: true, phone: "+33"},
	{given: []string{"Łukasz", "Małgorzata", "Agnieszka", "Zofia", "Wojciech", "Katarzyna"},
		family: []string{"Nowak", "Kowalska", "Wiśniewska", "Wójcik", "Kamińska", "Żak"}, latin: true, phone: "+48"},
	{given: []string{"Jürgen", "Anneliese", "Jörg", "Käthe", "Lena", "Mia"},
		family: []string{"Müller", "Schäfer", "Groß", "Weiß", "Schröder", "Köhler"}, latin: true, phone: "+49"},
	{given: []string{"Ğül", "Ayşe", "Elif", "Zeynep", "Çağla", "Şebnem"},
		family: []string{"Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk"}, latin: true, phone: "+90"},
	{given: []string{"Björk", "Åsa", "Sigríður", "Ingrid", "Søren", "Märta"},
		family: []string{"Sigurðardóttir", "Johansson", "Lindqvist", "Ødegård", "Andersen", "Nyström"}, latin: true, phone: "+46"},
	{given: []string{"Thị Lan", "Minh Anh", "Ngọc", "Thu Trang"},
		family: []string{"Nguyễn", "Trần", "Lê", "Phạm"}, latin: true, phone: "+84"},
	{given: []string{"芳", "伟", "秀英", "静", "丽"},
		family: []string{"王", "李", "张", "刘", "陈"}, phone: "+86"},
	{given: []string{"さくら", "陽菜", "結衣", "美咲"},
		family: []string{"佐藤", "鈴木", "高橋", "田中"}, phone: "+81"},
	{given: []string{"Αικατερίνη", "Ελένη", "Δήμητρα", "Νίκος"},
		family: []string{"Παπαδοπούλου", "Γεωργίου", "Οικονόμου", "Δημητρίου"}, phone: "+30"},
	{given: []string{"Анна", "Ольга", "Наталья", "Дарья"},
		family: []string{"Иванова", "Смирнова", "Кузнецова", "Попова"}, phone: "+7"},
}
