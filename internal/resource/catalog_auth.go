package resource

// This file is the field table of the authentication record kinds. Each
// kind is one endpoint /api/2.0/fo/auth/<type>/; its list output is
// AUTH_<TYPE>_LIST_OUTPUT with one AUTH_<TYPE> element per record.

// AuthTypes are the auth endpoints qsync manages, in plan order.
var AuthTypes = []string{"unix", "windows", "mariadb", "mysql", "postgresql", "oracle", "ms_sql", "jboss", "tomcat"}

func str(name, xml, doc string) *Field {
	return &Field{Name: name, XML: paths(xml), Type: String, Doc: doc}
}

func paths(xml string) []string {
	if xml == "" {
		return nil
	}
	return []string{xml}
}

func flag(name, xml, doc string) *Field {
	return &Field{Name: name, XML: paths(xml), Type: Bool, Doc: doc}
}

func integer(name, xml string, lo, hi int64, doc string) *Field {
	return &Field{Name: name, XML: paths(xml), Type: Int, Min: lo, Max: hi, Doc: doc}
}

func enum(name, xml string, values []string, doc string) *Field {
	return &Field{Name: name, XML: paths(xml), Type: Enum, Enum: values, Doc: doc}
}

func secret(name, doc string) *Field {
	return &Field{Name: name, Type: Secret, Doc: doc}
}

// authCommon are the fields every auth record has.
func authCommon(commentParam string) []*Field {
	return []*Field{
		{Name: "ips", XML: []string{"IP_SET"}, Type: IPs, Required: true,
			Doc: "target hosts: IPs, a-b ranges and CIDRs, IPv4 or IPv6"},
		{Name: commentParam, XML: []string{"COMMENTS"}, Type: Text, MaxLen: 1999, Doc: "user defined comments"},
		integer("network_id", "NETWORK_ID", 0, 1<<62, "network ID (networks feature)"),
	}
}

// vaultFields are the login_type=vault parameters shared by the vault
// capable technologies. The list output nests them under DIGITAL_VAULT.
func vaultFields() []*Field {
	return []*Field{
		{Name: "login_type", XML: []string{"LOGIN_TYPE"}, Type: Enum, Enum: []string{"basic", "vault"}, Default: "basic",
			Doc: "basic (username and password) or vault"},
		str("vault_type", "DIGITAL_VAULT/DIGITAL_VAULT_TYPE", "vault type, e.g. \"CyberArk PIM Suite\", \"Thycotic Secret Server\""),
		integer("vault_id", "DIGITAL_VAULT/DIGITAL_VAULT_ID", 1, 1<<62, "ID of the vault record"),
		str("secret_name", "DIGITAL_VAULT/VAULT_SECRET_NAME", "vault parameter: secret name (Thycotic)"),
		str("folder", "DIGITAL_VAULT/VAULT_FOLDER", "vault parameter: folder (CyberArk)"),
		str("file", "DIGITAL_VAULT/VAULT_FILE", "vault parameter: file (CyberArk)"),
		str("system_name", "DIGITAL_VAULT/VAULT_SYSTEM_NAME", "vault parameter: system name"),
		str("account_name", "DIGITAL_VAULT/VAULT_ACCOUNT_NAME", "vault parameter: account name"),
	}
}

func credentials() []*Field {
	return []*Field{
		str("username", "USERNAME", "login name"),
		secret("password", "login password (write-only)"),
	}
}

// sqlFields are shared by MariaDB and MySQL.
func sqlFields() []*Field {
	return []*Field{
		{Name: "database", XML: []string{"DATABASE"}, Type: String, Required: true, Doc: "database to authenticate to"},
		{Name: "port", XML: []string{"PORT"}, Type: Int, Min: 1, Max: 65535, Required: true, Doc: "database port (3306 by default)"},
		{Name: "ssl_verify", XML: []string{"SSL_VERIFY"}, Type: Bool, BoolForm: BoolTrueFalse, Doc: "complete SSL certificate validation"},
		{Name: "hosts", XML: []string{"HOSTS"}, Item: "HOST", Type: Set, Doc: "FQDNs of hosts with a custom SSL certificate"},
		str("windows_config_file", "WINDOWS_CONF_FILE", "path of the Windows config file"),
		str("unix_config_file", "UNIX_CONF_FILE", "path of the Unix config file"),
		{Name: "client_cert", XML: []string{"CLIENT_CERT"}, Type: Text, Doc: "PEM-encoded X.509 client certificate"},
		secret("client_key", "PEM-encoded RSA private key (write-only)"),
	}
}

func jbossPlatform(p string) []*Field {
	X := "WINDOWS"
	if p == "unix" {
		X = "UNIX"
	}
	return []*Field{
		{Name: p + "_working_mode", XML: []string{X + "/DOMAIN_MODE"}, Type: Enum,
			Enum:        []string{"standalone_mode", "domain_controller_mode"},
			ReadAliases: map[string]string{"true": "domain_controller_mode", "false": "standalone_mode", "1": "domain_controller_mode", "0": "standalone_mode"},
			Doc:         p + " working mode"},
		str(p+"_home_path", X+"/HOME_PATH", "JBoss home path"),
		str(p+"_base_path", X+"/BASE_PATH", "JBoss base path"),
		str(p+"_conf_dir_path", X+"/CONF_DIR_PATH", "configuration directory"),
		str(p+"_conf_file_path", X+"/CONF_FILE_PATH", "configuration file"),
		str(p+"_conf_host_file_path", X+"/CONF_HOST_FILE_PATH", "host file (domain controller mode)"),
	}
}

func authKind(typ string, fields ...[]*Field) *Kind {
	U := upperType(typ)
	k := &Kind{
		Name: "auth/" + typ, Family: FamilyAuth, Type: typ,
		Path:     "/api/2.0/fo/auth/" + typ + "/",
		ListRoot: "AUTH_" + U + "_LIST_OUTPUT", Record: "AUTH_" + U, IDsElem: "AUTH_" + U + "_IDS",
		TitleParam: "title",
	}
	for _, fs := range fields {
		k.Fields = append(k.Fields, fs...)
	}
	return k
}

func authKinds() []*Kind {
	return []*Kind{
		authKind("unix", credentials(), []*Field{
			flag("cleartext_password", "CLEARTEXT_PASSWORD", "allow cleartext password authentication"),
			secret("rsa_private_key", "RSA private key (write-only)"),
			secret("private_key_passphrase", "passphrase of the private key (write-only)"),
			integer("port", "PORT", 1, 65535, "SSH port"),
		}, vaultFields(), authCommon("comments")),
		authKind("windows", credentials(), []*Field{
			str("windows_domain", "WINDOWS_DOMAIN", "NetBIOS or AD domain; empty for a local account"),
			flag("ntlm", "NTLM", "allow NTLM"),
			flag("ntlmv2", "NTLMV2", "allow NTLMv2"),
			flag("kerberos", "KERBEROS", "allow Kerberos"),
		}, vaultFields(), authCommon("comments")),
		authKind("mariadb", credentials(), sqlFields(), vaultFields(), authCommon("comments")),
		authKind("mysql", credentials(), sqlFields(), vaultFields(), authCommon("comments")),
		authKind("postgresql", credentials(), []*Field{
			{Name: "database", XML: []string{"DATABASE"}, Type: String, Required: true, Doc: "database to authenticate to"},
			{Name: "port", XML: []string{"PORT"}, Type: Int, Min: 1, Max: 65535, Required: true, Doc: "database port (5432 by default)"},
		}, vaultFields(), authCommon("comments")),
		authKind("oracle", credentials(), []*Field{
			str("sid", "SID", "Oracle SID"),
			str("servicename", "SERVICENAME", "Oracle service name"),
			integer("port", "PORT", 1, 65535, "listener port (1521 by default)"),
		}, vaultFields(), authCommon("comments")),
		authKind("ms_sql", credentials(), []*Field{
			str("instance", "INSTANCE", "SQL Server instance (MSSQLSERVER by default)"),
			str("database", "DATABASE", "database (master by default)"),
			integer("port", "PORT", 1, 65535, "port (1433 by default)"),
			str("windows_domain", "WINDOWS_DOMAIN", "domain for Windows authentication"),
			enum("auth_type", "AUTH_TYPE", []string{"sql", "windows"}, "SQL Server or Windows authentication"),
		}, vaultFields(), authCommon("comments")),
		authKind("jboss", jbossPlatform("windows"), jbossPlatform("unix"), authCommon("comment")),
		authKind("tomcat", []*Field{
			str("installation_path", "INSTALLATION_PATH", "Unix installation path"),
			str("instance_path", "INSTANCE_PATH", "Unix instance path"),
			flag("auto_discover_instances", "AUTO_DISCOVER_INSTANCES", "discover instances automatically"),
			str("installation_path_windows", "INSTALLATION_PATH_WINDOWS", "Windows installation path"),
			str("instance_path_windows", "INSTANCE_PATH_WINDOWS", "Windows instance path"),
			{Name: "service_name_windows", XML: []string{"SERVICE_NAME_WINDOWS", "SERVICE_NAME"}, Type: String, Doc: "Windows service name"},
		}, authCommon("comments")),
	}
}
