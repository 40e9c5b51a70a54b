package contactfile_test

import (
	"fmt"
	"strings"

	"portevoix/storage/contactfile"
)

func ExampleRead() {
	file := "Prénom;Nom;E-mail;Média;Thématiques\r\n" +
		"Élodie;Lœuvre;elodie@example.org;\"Le Journal; édition Sud\";santé, économie\r\n" +
		"Jean;Dupont;jean.dupont@;Le Monde;\r\n"
	res, err := contactfile.Read(strings.NewReader(file), "presse.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res.Rows {
		c := r.Contact
		fmt.Printf("ligne %d : %s %s <%s>, %s, %q\n", r.Line, c.FirstName, c.LastName, c.Email, c.Organization, c.Tags)
	}
	for _, e := range res.Errors {
		fmt.Printf("ligne %d : %q\n", e.Line, e.Message) // %q shows the French spaces

	}
	// Output:
	// ligne 2 : Élodie Lœuvre <elodie@example.org>, Le Journal; édition Sud, ["santé" "économie"]
	// ligne 3 : "adresse e-mail sans nom de domaine après «\u202f@\u202f»"
}
