package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"portevoix/server"
	"portevoix/storage"
)

func (u *UI) routeUsers(g *gin.RouterGroup) {
	admin := u.require(storage.RoleAdmin)
	g.GET("/users", admin, u.users)
	g.GET("/users/new", admin, u.newUserForm)
	g.POST("/users", admin, u.createUser)
	g.GET("/users/:id/edit", admin, u.editUserForm)
	g.POST("/users/:id", admin, u.updateUser)
	g.POST("/users/:id/password", admin, u.resetPassword)
	g.POST("/users/:id/disable", admin, u.disableUser)
	g.GET("/users/:id/delete", admin, u.confirmDeleteUser)
	g.POST("/users/:id/delete", admin, u.deleteUser)
	g.POST("/sessions/:id/revoke", admin, u.revokeSession)
	g.GET("/password", u.passwordForm)
	g.POST("/password", u.changePassword)
}

// usersPage lists the accounts and the open sessions.
type usersPage struct {
	Users    []storage.User
	Sessions []sessionItem
	Me       uint64
	// Password is a password just generated for an account, shown this once.
	Password, PasswordFor string
}

type sessionItem struct {
	storage.Session
	User    string
	Current bool
}

func (u *UI) users(c *gin.Context) { u.showUsers(c, "", "") }

func (u *UI) showUsers(c *gin.Context, password, passwordFor string) {
	list, err := u.Store.Users(storage.ListOptions{Limit: 1000})
	if err != nil {
		u.fail(c, err)
		return
	}
	sessions, err := u.Store.Sessions()
	if err != nil {
		u.fail(c, err)
		return
	}
	emails := names(list.Items, func(v *storage.User) uint64 { return v.ID }, func(v *storage.User) string { return v.Name + " (" + v.Email + ")" })
	p := usersPage{Users: list.Items, Me: currentUser(c).ID, Password: password, PasswordFor: passwordFor}
	for _, s := range sessions {
		p.Sessions = append(p.Sessions, sessionItem{Session: s, User: emails[s.UserID], Current: s.ID == currentSession(c).ID})
	}
	u.render(c, http.StatusOK, "users", page{Title: "Comptes", Section: "users", Data: p})
}

// userForm is the data of an account's form.
type userForm struct {
	Form   *Form
	Action string
	ID     uint64
	Roles  []Option
}

var roleOptions = []Option{{storage.RoleViewer, "Lecteur\u00a0: consulte"}, {storage.RoleEditor, "Rédacteur\u00a0: consulte et modifie"}, {storage.RoleAdmin, "Administrateur\u00a0: gère aussi les comptes"}}

func (u *UI) showUserForm(c *gin.Context, status int, form *Form, id uint64) {
	title, action := "Nouveau compte", "/app/users"
	if id != 0 {
		title, action = "Modifier le compte", "/app/users/"+strconv.FormatUint(id, 10)
	}
	u.render(c, status, "user_form", page{Title: title, Section: "users", Data: userForm{Form: form, Action: action, ID: id, Roles: roleOptions}})
}

func (u *UI) newUserForm(c *gin.Context) {
	u.showUserForm(c, http.StatusOK, newForm(url.Values{"role": {storage.RoleEditor}}), 0)
}

func (u *UI) createUser(c *gin.Context) {
	form := newForm(postForm(c))
	_, err := u.Store.CreateUser(actor(c), newUser(form))
	if form.Invalid(err) {
		form.Values.Del("password") // never sent back
		u.showUserForm(c, server.StatusOf(err), form, 0)
		return
	}
	if err != nil {
		u.fail(c, err)
		return
	}
	u.flash(c, "Compte créé.")
	redirect(c, "/app/users")
}

func newUser(f *Form) storage.NewUser {
	return storage.NewUser{Email: f.Get("email"), Name: f.Get("name"), Role: f.Get("role"), Password: f.Values.Get("password")}
}

func (u *UI) editUserForm(c *gin.Context) {
	v, err := u.Store.UserByID(id(c))
	if err != nil {
		u.fail(c, err)
		return
	}
	form := newForm(url.Values{"email": {v.Email}, "name": {v.Name}, "role": {v.Role}})
	form.setVersion(v)
	u.showUserForm(c, http.StatusOK, form, v.ID)
}

// updateUser changes an account's address, name and role; its password stays (the
// password button resets it).
func (u *UI) updateUser(c *gin.Context) {
	form := newForm(postForm(c))
	n := newUser(form)
	n.Password = ""
	if id(c) == currentUser(c).ID && n.Role != storage.RoleAdmin {
		form.Errors["role"] = "vous ne pouvez pas retirer votre propre rôle d’administrateur"
		form.Summary = "Certains champs sont invalides."
		u.showUserForm(c, http.StatusUnprocessableEntity, form, id(c))
		return
	}
	_, err := u.Store.UpdateUser(actor(c), id(c), form.ID(versionField), n)
	if form.Invalid(err) || form.Stale(err, "/app/users/"+c.Param("id")+"/edit") {
		u.showUserForm(c, server.StatusOf(err), form, id(c))
		return
	}
	if err != nil {
		u.fail(c, err)
		return
	}
	u.flash(c, "Compte modifié.")
	redirect(c, "/app/users")
}

// resetPassword gives an account a generated password, shown once to the admin, who
// passes it on; the account's sessions end.
func (u *UI) resetPassword(c *gin.Context) {
	v, err := u.Store.UserByID(id(c))
	if err != nil {
		u.fail(c, err)
		return
	}
	password, err := randomToken(12) // 16 characters
	if err != nil {
		u.fail(c, err)
		return
	}
	if _, err := u.Store.UpdateUser(actor(c), v.ID, 0, storage.NewUser{Email: v.Email, Name: v.Name, Role: v.Role, Password: password}); err != nil {
		u.fail(c, err)
		return
	}
	if v.ID == currentUser(c).ID {
		redirect(c, "/login") // own sessions ended with the old password
		return
	}
	u.showUsers(c, password, v.Name)
}

func (u *UI) confirmDeleteUser(c *gin.Context) {
	v, err := u.Store.UserByID(id(c))
	if err != nil {
		u.fail(c, err)
		return
	}
	u.render(c, http.StatusOK, "confirm", page{Title: "Confirmer la suppression", Section: "users", Data: confirmPage{
		Heading: "Supprimer le compte de " + v.Name + "\u202f?",
		Text:    "Le compte, ses jetons d’accès et ses sessions sont supprimés. Le journal des modifications garde son adresse.",
		Action:  "/app/users/" + c.Param("id") + "/delete", Cancel: "/app/users", Button: "Supprimer le compte",
		Version: storage.VersionOf(v),
	}})
}

func (u *UI) deleteUser(c *gin.Context) {
	if id(c) == currentUser(c).ID {
		u.fail(c, storage.Errorf(storage.ECONFLICT, "Vous ne pouvez pas supprimer votre propre compte."))
		return
	}
	if err := u.Store.DeleteUser(actor(c), id(c), newForm(postForm(c)).ID(versionField)); err != nil {
		u.fail(c, err)
		return
	}
	u.flash(c, "Compte supprimé.")
	redirect(c, "/app/users")
}

func (u *UI) revokeSession(c *gin.Context) {
	if err := u.Store.RevokeSession(actor(c), id(c)); err != nil {
		u.fail(c, err)
		return
	}
	u.flash(c, "Session fermée.")
	redirect(c, "/app/users")
}

func (u *UI) passwordForm(c *gin.Context) {
	u.render(c, http.StatusOK, "password", page{Title: "Changer mon mot de passe", Data: newForm(nil)})
}

// changePassword sets the account's own password; every session of the account ends,
// this one too, so the person signs in again with the new one.
func (u *UI) changePassword(c *gin.Context) {
	form := newForm(postForm(c))
	password := form.Values.Get("password")
	var err error
	if password != form.Values.Get("confirm") {
		err = (&storage.Problems{{Field: "confirm", Message: "les deux saisies diffèrent"}}).Err()
	} else {
		err = u.Store.ChangePassword(actor(c), currentUser(c).ID, form.Values.Get("current_password"), password)
	}
	if form.Invalid(err) {
		form.Values = url.Values{} // passwords are never sent back
		u.render(c, http.StatusUnprocessableEntity, "password", page{Title: "Changer mon mot de passe", Data: form})
		return
	}
	if err != nil {
		u.fail(c, err)
		return
	}
	u.setCookie(c, "pv_session", "", -1)
	u.flash(c, "Mot de passe changé. Toutes vos sessions sont fermées\u202f: connectez-vous avec le nouveau.")
	redirect(c, "/login")
}

// disableUser disables an account (disabled=1) or enables it again; an admin cannot
// disable their own.
func (u *UI) disableUser(c *gin.Context) {
	disable := c.PostForm("disabled") == "1"
	if disable && id(c) == currentUser(c).ID {
		u.fail(c, storage.Errorf(storage.ECONFLICT, "Vous ne pouvez pas désactiver votre propre compte."))
		return
	}
	v, err := u.Store.SetUserDisabled(actor(c), id(c), disable)
	if err != nil {
		u.fail(c, err)
		return
	}
	if disable {
		u.flash(c, "Compte de "+v.Name+" désactivé\u00a0: ses sessions sont fermées.")
	} else {
		u.flash(c, "Compte de "+v.Name+" réactivé.")
	}
	redirect(c, "/app/users")
}
