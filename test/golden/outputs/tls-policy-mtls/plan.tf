# serverless-lb: Terraform configuration for load balancer "mtls-lb" in project "demo-project".
# Secrets are not in this file: set the sensitive variables below from their files or environment.

terraform {
  required_providers {
    google = {
      source = "hashicorp/google"
    }
  }
}

variable "project" {
  description = "Google Cloud project that holds the load balancer"
  type        = string
  default     = "demo-project"
}

provider "google" {
  project = var.project
}

# external IP address of the load balancer
resource "google_compute_global_address" "mtls_lb_ip" {
  name         = "mtls-lb-ip"
  description  = "[serverless-lb:mtls-lb] external IP address of the load balancer"
  address_type = "EXTERNAL"
  ip_version   = "IPV4"
  labels       = {
    "serverless-lb" = "mtls-lb"
  }
}

# Google-managed certificate for the HTTPS proxy
resource "google_compute_managed_ssl_certificate" "mtls_lb_cert" {
  name        = "mtls-lb-cert"
  description = "[serverless-lb:mtls-lb] Google-managed certificate for the HTTPS proxy"

  managed {
    domains = ["secure.example.com"]
  }
}

# SSL policy: the TLS versions and cipher suites the HTTPS proxy accepts
resource "google_compute_ssl_policy" "mtls_lb_ssl_policy" {
  name            = "mtls-lb-ssl-policy"
  description     = "[serverless-lb:mtls-lb] SSL policy: the TLS versions and cipher suites the HTTPS proxy accepts"
  profile         = "MODERN"
  min_tls_version = "TLS_1_2"
}

# trust config: the CAs whose client certificates mutual TLS accepts
resource "google_certificate_manager_trust_config" "mtls_lb_trust_config" {
  name        = "mtls-lb-trust-config"
  description = "[serverless-lb:mtls-lb] trust config: the CAs whose client certificates mutual TLS accepts"
  labels      = {
    "serverless-lb" = "mtls-lb"
  }

  trust_stores {
    trust_anchors {
      pem_certificate = file("<repo>/docs/examples/certs/client-ca.pem")
    }
  }
}

# server TLS policy: mutual TLS (a valid client certificate is required)
resource "google_network_security_server_tls_policy" "mtls_lb_mtls_policy" {
  name        = "mtls-lb-mtls-policy"
  location    = "global"
  description = "[serverless-lb:mtls-lb] server TLS policy: mutual TLS (a valid client certificate is required)"
  labels      = {
    "serverless-lb" = "mtls-lb"
  }

  mtls_policy {
    client_validation_mode         = "REJECT_INVALID"
    client_validation_trust_config = google_certificate_manager_trust_config.mtls_lb_trust_config.id
  }
}

# serverless NEG in europe-west1 for backend web: Cloud Run service web
resource "google_compute_region_network_endpoint_group" "mtls_lb_web_neg_europe_west1" {
  name                  = "mtls-lb-web-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:mtls-lb] serverless NEG in europe-west1 for backend web: Cloud Run service web"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "web"
  }
}

# backend service for backend web
resource "google_compute_backend_service" "mtls_lb_web_bs" {
  name                  = "mtls-lb-web-bs"
  description           = "[serverless-lb:mtls-lb] backend service for backend web"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTP"
  enable_cdn            = false

  backend {
    group = google_compute_region_network_endpoint_group.mtls_lb_web_neg_europe_west1.id
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

# URL map: routes hosts and paths to the backend services
resource "google_compute_url_map" "mtls_lb_urlmap" {
  name            = "mtls-lb-urlmap"
  description     = "[serverless-lb:mtls-lb] URL map: routes hosts and paths to the backend services"
  default_service = google_compute_backend_service.mtls_lb_web_bs.id

  header_action {
    request_headers_to_add {
      header_name  = "X-Client-Cert-Present"
      header_value = "{client_cert_present}"
      replace      = true
    }

    request_headers_to_add {
      header_name  = "X-Client-Cert-Chain-Verified"
      header_value = "{client_cert_chain_verified}"
      replace      = true
    }

    request_headers_to_add {
      header_name  = "X-Client-Cert-Uri-Sans"
      header_value = "{client_cert_uri_sans}"
      replace      = true
    }
  }
}

# HTTPS proxy: terminates TLS
resource "google_compute_target_https_proxy" "mtls_lb_https_proxy" {
  name              = "mtls-lb-https-proxy"
  description       = "[serverless-lb:mtls-lb] HTTPS proxy: terminates TLS"
  url_map           = google_compute_url_map.mtls_lb_urlmap.id
  ssl_certificates  = [google_compute_managed_ssl_certificate.mtls_lb_cert.id]
  ssl_policy        = google_compute_ssl_policy.mtls_lb_ssl_policy.id
  server_tls_policy = google_network_security_server_tls_policy.mtls_lb_mtls_policy.id
  quic_override     = "ENABLE"
}

# HTTPS forwarding rule on port 443
resource "google_compute_global_forwarding_rule" "mtls_lb_https_fr" {
  name                  = "mtls-lb-https-fr"
  description           = "[serverless-lb:mtls-lb] HTTPS forwarding rule on port 443"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = "443"
  ip_address            = google_compute_global_address.mtls_lb_ip.id
  target                = google_compute_target_https_proxy.mtls_lb_https_proxy.id
  network_tier          = "PREMIUM"
  labels                = {
    "serverless-lb" = "mtls-lb"
  }
}

# A record for secure.example.com in zone example-com
resource "google_dns_record_set" "secure_example_com_" {
  name         = "secure.example.com."
  managed_zone = "example-com"
  type         = "A"
  ttl          = 300
  rrdatas      = [google_compute_global_address.mtls_lb_ip.address]
  depends_on   = [google_compute_global_forwarding_rule.mtls_lb_https_fr]
}

# let allUsers invoke Cloud Run service web in europe-west1 (the load balancer's requests)
resource "google_cloud_run_v2_service_iam_member" "web" {
  project    = var.project
  location   = "europe-west1"
  name       = "web"
  role       = "roles/run.invoker"
  member     = "allUsers"
  depends_on = [google_compute_global_forwarding_rule.mtls_lb_https_fr]
}

# Cloud Run service web (europe-west1): not managed by this configuration.
# restrict ingress of Cloud Run service web in europe-west1 to internal traffic and Cloud Load Balancing. Restrict its ingress so the run.app URL cannot bypass the load balancer:
#   gcloud run services update web --region=europe-west1 --ingress=internal-and-cloud-load-balancing --project=demo-project
